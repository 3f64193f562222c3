package org.kinora.media.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.math.BigDecimal;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.kinora.core.media.AudioSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.time.FrameRate;

/**
 * Carries the audio under a source frame range into an encoded result, sample-exact: it seeks into the source (never
 * decodes from the start), drops the samples before the range, and writes exactly the samples of
 * {@code [first/rate, (first+frameCount)/rate)}, padding with silence where the source has none. The encoder calls
 * {@link #writeUntil} after each video frame so audio and video arrive at the muxer interleaved.
 */
final class AudioCarrier implements AutoCloseable {

    /** Seek this far before the range: seeking lands on a packet at or after the target, and we want the one before. */
    private static final long PRE_ROLL_MICROS = 500_000;

    private final AudioSource source;
    private final int sampleRate;
    private final int channels;
    private final long startSample;
    private final long totalSamples;
    private final FrameRate videoRate;

    private FFmpegFrameGrabber grabber;
    private long origin;
    private long written;
    /** Interleaved samples decoded but not yet used, and the absolute sample index of their first sample. */
    private float[] chunk;
    private long chunkAt;
    /** Absolute sample index just after the last decoded packet, or -1 before the first. */
    private long lastEnd = -1;
    private boolean sourceEnded;

    private AudioCarrier(AudioSource source, MediaInfo info, FrameRate videoRate) {
        this.source = source;
        this.sampleRate = info.sampleRate();
        this.channels = info.audioChannels();
        this.videoRate = videoRate;
        this.startSample = sampleAt(source.first(), source.rate(), sampleRate);
        this.totalSamples = sampleAt(source.first() + source.frameCount(), source.rate(), sampleRate) - startSample;
    }

    /** A carrier for {@code source}, or null when its file has no audio (then the result has none either). */
    static AudioCarrier prepare(AudioSource source, FrameRate videoRate) throws MediaException {
        if (source.frameCount() <= 0) {
            return null;
        }
        MediaInfo info = MediaProber.probe(source.file());
        if (!info.hasAudio() || info.sampleRate() <= 0 || info.audioChannels() <= 0) {
            return null;
        }
        return new AudioCarrier(source, info, videoRate);
    }

    /** The sample at which frame {@code frame} at {@code rate} starts, rounded to the nearest sample. */
    static long sampleAt(long frame, FrameRate rate, int sampleRate) {
        BigInteger num = BigInteger.valueOf(frame).multiply(BigInteger.valueOf(rate.denominator()))
                .multiply(BigInteger.valueOf(sampleRate));
        return new BigDecimal(num).divide(new BigDecimal(rate.numerator()), 0, RoundingMode.HALF_UP).longValueExact();
    }

    int sampleRate() {
        return sampleRate;
    }

    int channels() {
        return channels;
    }

    /** Samples the result carries in all. */
    long totalSamples() {
        return totalSamples;
    }

    /** Opens the source and seeks to just before the range. Called on the encoder thread. */
    void start() throws Exception {
        grabber = new FFmpegFrameGrabber(source.file().toFile());
        // Packed float in, at the source's own rate and channel count: no resampling, the recorder converts to the codec.
        grabber.setSampleFormat(AV_SAMPLE_FMT_FLT);
        grabber.setSampleRate(sampleRate);
        grabber.setAudioChannels(channels);
        grabber.start();
        long start = grabber.getFormatContext().start_time();
        origin = start == AV_NOPTS_VALUE ? 0 : start;
        long seek = source.rate().microsOf(source.first()) - PRE_ROLL_MICROS;
        if (seek > 0) {
            grabber.setAudioTimestamp(seek);
        }
    }

    /** Writes the audio that goes with the first {@code videoFrames} frames of the result. */
    void writeForVideo(FFmpegFrameRecorder recorder, long videoFrames) throws Exception {
        writeUntil(recorder, Math.min(totalSamples, sampleAt(videoFrames, videoRate, sampleRate)));
    }

    /** Writes the rest of the range (at finish). */
    void writeRest(FFmpegFrameRecorder recorder) throws Exception {
        writeUntil(recorder, totalSamples);
    }

    /** Writes samples until {@code target} of the range's samples are written. */
    void writeUntil(FFmpegFrameRecorder recorder, long target) throws Exception {
        while (written < target) {
            long want = startSample + written;
            if (chunk == null && !sourceEnded) {
                readChunk();
                continue;
            }
            long chunkSamples = chunk == null ? 0 : chunk.length / channels;
            if (chunk == null || chunkAt > want) {
                // No source audio here (before its first packet, in a gap, or past its end): silence keeps sync.
                long gap = chunk == null ? target - written : Math.min(chunkAt - want, target - written);
                write(recorder, new float[(int) gap * channels]);
            } else if (chunkAt + chunkSamples <= want) {
                chunk = null; // entirely before the range
            } else {
                int from = (int) (want - chunkAt);
                int n = (int) Math.min(chunkSamples - from, target - written);
                write(recorder, Arrays.copyOfRange(chunk, from * channels, (from + n) * channels));
                if (from + n == chunkSamples) {
                    chunk = null;
                }
            }
        }
    }

    private void write(FFmpegFrameRecorder recorder, float[] samples) throws Exception {
        if (samples.length == 0) {
            return;
        }
        recorder.recordSamples(sampleRate, channels, FloatBuffer.wrap(samples));
        written += samples.length / channels;
    }

    /** Decodes the next packet's samples; the grabber reuses its buffers, so they are copied out. */
    private void readChunk() throws Exception {
        Frame f;
        do {
            f = grabber.grabSamples();
        } while (f != null && f.samples == null);
        if (f == null) {
            sourceEnded = true;
            return;
        }
        FloatBuffer fb = ((FloatBuffer) f.samples[0]).duplicate();
        float[] data = new float[fb.remaining()];
        fb.get(data);
        long at = sampleAt(f.timestamp - origin);
        // After the first packet, count samples instead of trusting each packet's rounded timestamp.
        chunkAt = lastEnd < 0 ? at : lastEnd;
        lastEnd = chunkAt + data.length / channels;
        chunk = data;
    }

    private long sampleAt(long micros) {
        return Math.round(micros * (double) sampleRate / 1_000_000);
    }

    @Override
    public void close() throws Exception {
        if (grabber != null) {
            grabber.close();
            grabber = null;
        }
    }
}

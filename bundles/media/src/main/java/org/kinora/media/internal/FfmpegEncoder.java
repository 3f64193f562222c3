package org.kinora.media.internal;

import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;

/**
 * Encodes RGB frames to a file on a daemon thread fed by a bounded queue ({@link #write} blocks while it is full). The
 * file is written under a hidden temporary name beside the target that keeps the extension ({@code .out.partial.mp4}),
 * and renamed only when {@link #finish()} succeeds, so an editor never sees a half-written result.
 *
 * <p>RGB is converted to the stream's pixel format here, with {@link ColorConversion}, using the matrix and range the
 * stream is tagged with (the defaults players assume when the settings name none), and handed to the recorder already in
 * its pixel format. JavaCV's own conversion would always use BT.601 limited range, whatever the tags say.
 */
final class FfmpegEncoder implements FrameSink {

    private static final Object FINISH = new Object();

    private final Path output;
    private final Path partial;
    private final EncodeSettings settings;
    private final FFmpegFrameRecorder recorder;
    private final AudioCarrier audio;
    /** The pixel format the encoder was opened with: what the frames are converted to. */
    private final int pixFmt;
    private final BlockingQueue<Object> queue;
    private final Thread worker;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private long accepted;
    private boolean finished;
    private boolean closed;

    private FfmpegEncoder(Path output, Path partial, EncodeSettings settings, FFmpegFrameRecorder recorder,
            AudioCarrier audio, int pixFmt, int capacity) {
        this.output = output;
        this.pixFmt = pixFmt;
        this.partial = partial;
        this.settings = settings;
        this.recorder = recorder;
        this.audio = audio;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::run, "kinora-encode " + output.getFileName());
        this.worker.setDaemon(true);
    }

    /**
     * Sets up the encoder and muxer (so a bad codec, size or pixel format fails here, naming the file and codec) and
     * starts the encoding thread.
     */
    static FfmpegEncoder create(Path output, EncodeSettings s, int capacity) throws MediaException {
        if (s.width() <= 0 || s.height() <= 0) {
            throw new MediaException(output + ": bad frame size " + s.width() + "x" + s.height());
        }
        Ffmpeg.init();
        Path target = output.toAbsolutePath();
        Path partial = partialName(target);
        CodecProfile profile = CodecProfile.of(s.codec(), s.rate());
        String pixFmt = profile.pixelFormat(s.pixelFormat());
        s = s.withColor(s.pixelFormat(), colorForOutput(s.color(), av_get_pix_fmt(pixFmt)));
        String what = s.codec() + " (" + profile.encoder() + ", " + pixFmt + ")";
        AudioCarrier audio = s.audio() == null ? null : AudioCarrier.prepare(s.audio(), s.rate());
        FFmpegFrameRecorder rec = null;
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(partial);
            rec = new FFmpegFrameRecorder(partial.toFile(), s.width(), s.height(), audio == null ? 0 : audio.channels());
            configure(rec, s, profile, pixFmt, audio);
            rec.start();
            FfmpegEncoder enc = new FfmpegEncoder(target, partial, s, rec, audio, av_get_pix_fmt(pixFmt), capacity);
            enc.worker.start();
            return enc;
        } catch (Exception | LinkageError e) {
            release(rec);
            deleteQuietly(partial);
            throw Ffmpeg.wrap(target, "cannot set up the " + what + " encoder", e);
        }
    }

    /** {@code dir/.name.partial.ext}: hidden, beside the target (same file system, so the rename is atomic). */
    static Path partialName(Path target) {
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return target.resolveSibling("." + base + ".partial" + ext);
    }

    private static void configure(FFmpegFrameRecorder rec, EncodeSettings s, CodecProfile profile, String pixFmt,
            AudioCarrier audio) {
        // The muxer follows the codec, not the file name, so e.g. ProRes always goes into QuickTime.
        rec.setFormat(profile.muxer());
        rec.setVideoCodecName(profile.encoder());
        rec.setPixelFormat(av_get_pix_fmt(pixFmt));
        // The recorder turns the double back into a fraction with av_d2q, which recovers 30000/1001 exactly.
        rec.setFrameRate(s.rate().fps());
        rec.setGopSize(profile.gop());
        rec.setVideoBitrate(0); // quality is set by crf / the codec profile, not a bit rate
        for (Map.Entry<String, String> o : profile.options().entrySet()) {
            rec.setVideoOption(o.getKey(), o.getValue());
        }
        if (profile.encoder().equals("prores_ks")) {
            rec.setVideoOption("profile", profile.proresProfile(pixFmt));
        }
        if (profile.muxer().equals("mp4") || profile.muxer().equals("mov")) {
            rec.setOption("movflags", "+faststart"); // index first: editors and browsers can start reading at once
        }
        // Codec-context options: avcodec_open2 applies them and they are copied to the stream, so the container and
        // (for H.264) the bitstream's VUI carry the tags.
        ColorInfo c = s.color() == null ? ColorInfo.UNKNOWN : s.color();
        setIfKnown(rec, "colorspace", c.space());
        setIfKnown(rec, "color_range", c.range());
        setIfKnown(rec, "color_primaries", c.primaries());
        setIfKnown(rec, "color_trc", c.transfer());
        if (audio != null) {
            rec.setAudioCodec(profile.audioCodec());
            rec.setSampleRate(audio.sampleRate());
            rec.setAudioChannels(audio.channels());
            rec.setAudioBitrate(96_000 * Math.min(audio.channels(), 6));
        }
    }

    /**
     * The color tags to write for an output pixel format. An RGB source's matrix ({@code gbr}) and full range describe
     * no YUV picture: libx264 refuses that matrix outright. YUV output from such a source takes the defaults a player
     * assumes for its size (no matrix tag, limited range), so the tags and the conversion agree. RGB output keeps the
     * RGB matrix under the option's own name: FFmpeg prints it as {@code gbr} but its codec option only knows {@code rgb}.
     */
    static ColorInfo colorForOutput(ColorInfo c, int pixFmt) {
        if (c == null) {
            return ColorInfo.UNKNOWN;
        }
        boolean rgbMatrix = "gbr".equals(c.space()) || "rgb".equals(c.space());
        if (rgbMatrix && ColorConversion.isYuv(pixFmt)) {
            return new ColorInfo(null, null, c.primaries(), c.transfer());
        }
        if (rgbMatrix) {
            return new ColorInfo("rgb", c.range(), c.primaries(), c.transfer());
        }
        return c;
    }

    private static void setIfKnown(FFmpegFrameRecorder rec, String option, String value) {
        if (value != null && !value.isBlank()) {
            rec.setVideoOption(option, value);
        }
    }

    @Override
    public void write(VideoFrame frame) throws MediaException, InterruptedException {
        if (finished || closed) {
            throw new MediaException(output + ": write after the encoder was " + (finished ? "finished" : "closed"));
        }
        if (frame.width() != settings.width() || frame.height() != settings.height()) {
            throw new MediaException(output + ": frame " + frame.index() + " is " + frame.width() + "x" + frame.height()
                    + ", the encoder was set up for " + settings.width() + "x" + settings.height());
        }
        // The caller may reuse its buffer once write returns, so the queue holds our own copy.
        put(frame.withPixels(RgbCopy.copy(frame.rgb())));
        accepted++;
    }

    /** Queues an item, giving up with the encoder's error if its thread fails while we wait for room. */
    private void put(Object item) throws MediaException, InterruptedException {
        while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
            checkFailure();
            if (!worker.isAlive()) {
                throw new MediaException(output + ": the encoder stopped");
            }
        }
        checkFailure();
    }

    private void checkFailure() throws MediaException {
        Throwable t = failure;
        if (t != null) {
            throw Ffmpeg.wrap(output, "encoding with " + settings.codec() + " failed", t);
        }
    }

    @Override
    public Path finish() throws MediaException, InterruptedException {
        if (finished) {
            return output;
        }
        if (closed) {
            throw new MediaException(output + ": finish after close");
        }
        put(FINISH);
        worker.join();
        checkFailure();
        try {
            try {
                Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw Ffmpeg.wrap(output, "cannot move the finished file into place", e);
        }
        finished = true;
        return output;
    }

    @Override
    public long framesWritten() {
        return accepted;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!finished) {
            aborted = true;
            worker.interrupt();
            queue.clear();
        }
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!finished) {
            deleteQuietly(partial);
        }
    }

    private void run() {
        try (FFmpegFrameRecorder rec = recorder; AudioCarrier carrier = audio) {
            try {
                encode(rec, carrier);
                rec.stop(); // flushes delayed frames and writes the trailer (moov atom, cues)
            } catch (InterruptedException e) {
                rec.release(); // aborted: free without finalizing; close() deletes the partial file
            } catch (Throwable t) {
                failure = t;
                rec.release();
            }
        } catch (Throwable t) {
            if (failure == null && !aborted) {
                failure = t;
            }
        }
    }

    private void encode(FFmpegFrameRecorder rec, AudioCarrier carrier) throws Exception {
        if (carrier != null) {
            carrier.start();
        }
        int w = settings.width();
        int h = settings.height();
        ColorInfo c = settings.color() == null ? ColorInfo.UNKNOWN : settings.color();
        // The same choice a player makes from the tags we write (or their absence).
        ColorConversion.Matrix matrix = ColorConversion.Matrix.of(c.space(), h);
        // Range: as tagged; unknown is limited, except for the full-range formats (yuvj*, and grey as swscale has it).
        boolean full = c.range() != null ? ColorConversion.fullRange(c.range())
                : ColorConversion.isJpegFormat(pixFmt) || ColorConversion.isGray(pixFmt);
        // One native buffer reused for every frame: the recorder reads it through JNI without a per-frame allocation.
        ByteBuffer pixels = ByteBuffer.allocateDirect(w * h * 3);
        long encoded = 0;
        try (ColorConversion colors = ColorConversion.forEncoding()) {
            while (true) {
                Object item = queue.take();
                if (item == FINISH) {
                    break;
                }
                RgbCopy.into((VideoFrame) item, pixels);
                ByteBuffer picture = colors.fromRgb(pixels, w, h, pixFmt, matrix, full);
                // Already in the encoder's format and size, so the recorder passes it on without converting again.
                rec.recordImage(w, h, Frame.DEPTH_UBYTE, 1, colors.lineSize(), pixFmt, picture);
                encoded++;
                if (carrier != null) {
                    carrier.writeForVideo(rec, encoded);
                }
            }
        }
        if (carrier != null) {
            carrier.writeRest(rec);
        }
    }

    private static void release(FFmpegFrameRecorder rec) {
        if (rec != null) {
            try {
                rec.release();
            } catch (Exception ignored) {
                // already failing; the original error is what the caller needs
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover hidden .partial file is harmless and is replaced by the next attempt
        }
    }
}

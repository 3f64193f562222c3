package org.kinora.media.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinora.media.internal.Fixtures.H;
import static org.kinora.media.internal.Fixtures.W;

import java.nio.FloatBuffer;
import java.nio.file.Path;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.media.AudioSource;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.time.FrameRate;

/**
 * Audio passthrough: the source is silent for its first second and carries a 440 Hz tone after, so the result shows
 * both how long the carried span is and where in the source it was taken from.
 */
class AudioCarrierTest {

    private static final MediaServiceImpl MEDIA = new MediaServiceImpl();
    private static final int RATE = 48_000;

    @TempDir
    static Path dir;
    static Path source;

    @BeforeAll
    static void makeSource() throws Exception {
        source = dir.resolve("source.mkv");
        Fixtures.ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x96:rate=25:duration=4",
                "-f", "lavfi", "-i", "aevalsrc=if(gte(t\\,1)\\,0.5*sin(2*PI*440*t)\\,0):s=" + RATE + ":c=stereo:d=4",
                "-c:v", "ffv1", "-c:a", "flac", source.toString());
    }

    /** The decoded samples of a file's audio, interleaved. */
    private static float[] decodeAudio(Path file) throws Exception {
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setSampleFormat(AV_SAMPLE_FMT_FLT);
            g.start();
            FloatBuffer all = FloatBuffer.allocate(RATE * 2 * 10);
            Frame f;
            while ((f = g.grabSamples()) != null) {
                if (f.samples != null) {
                    all.put(((FloatBuffer) f.samples[0]).duplicate());
                }
            }
            float[] out = new float[all.position()];
            all.flip().get(out);
            return out;
        }
    }

    private static double rms(float[] interleaved, double fromSec, double toSec) {
        int a = (int) (fromSec * RATE) * 2;
        int b = (int) (toSec * RATE) * 2;
        double sum = 0;
        for (int i = a; i < b; i++) {
            sum += interleaved[i] * interleaved[i];
        }
        return Math.sqrt(sum / (b - a));
    }

    private Path carry(VideoCodec codec, String name, long first, int frames) throws Exception {
        EncodeSettings s = EncodeSettings.h264(W, H, FrameRate.FPS_25).withCodec(codec)
                .withAudio(new AudioSource(source, first, frames, FrameRate.FPS_25));
        return Fixtures.indexClip(MEDIA, dir.resolve(name), s, frames);
    }

    @Test
    void aacInMp4CoversExactlyTheFrameSpan() throws Exception {
        // frames 15..64 at 25 fps = 0.6 s .. 2.6 s: 0.4 s of silence, then the tone
        Path out = carry(VideoCodec.H264, "carried.mp4", 15, 50);
        MediaInfo info = MEDIA.probe(out);
        assertTrue(info.hasAudio());
        assertEquals(RATE, info.sampleRate());
        assertEquals(2, info.audioChannels());

        float[] pcm = decodeAudio(out);
        long samples = pcm.length / 2;
        assertEquals(2.0 * RATE, samples, 1024, "2 s of audio, within one AAC frame");
        assertTrue(rms(pcm, 0.05, 0.35) < 0.01, "silent part of the source first: " + rms(pcm, 0.05, 0.35));
        assertTrue(rms(pcm, 0.45, 1.95) > 0.3, "then the tone: " + rms(pcm, 0.45, 1.95));
    }

    @Test
    void flacInMatroskaIsSampleExact() throws Exception {
        Path out = carry(VideoCodec.FFV1, "carried.mkv", 30, 25); // 1.2 s .. 2.2 s, all tone
        float[] pcm = decodeAudio(out);
        assertEquals(RATE, pcm.length / 2, "lossless audio: exactly the span's samples");
        assertTrue(rms(pcm, 0.0, 0.99) > 0.3);
    }

    @Test
    void sourceWithoutAudioGivesNoAudio() throws Exception {
        Path silent = Fixtures.indexClip(MEDIA, dir.resolve("mute.mp4"), EncodeSettings.h264(W, H, FrameRate.FPS_25), 5);
        EncodeSettings s = EncodeSettings.h264(W, H, FrameRate.FPS_25)
                .withAudio(new AudioSource(silent, 0, 5, FrameRate.FPS_25));
        Path out = Fixtures.indexClip(MEDIA, dir.resolve("still-mute.mp4"), s, 5);
        assertFalse(MEDIA.probe(out).hasAudio());
    }

    @Test
    void sampleMathIsExactForNtsc() {
        assertEquals(48_048, AudioCarrier.sampleAt(30, FrameRate.NTSC_30, RATE)); // 30 frames = 1.001 s
        assertEquals(1601.6, 1001.0 / 30000 * RATE, 1e-9);
        assertEquals(1602, AudioCarrier.sampleAt(1, FrameRate.NTSC_30, RATE));
    }
}

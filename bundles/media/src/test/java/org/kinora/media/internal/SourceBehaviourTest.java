package org.kinora.media.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.time.FrameRate;

/** Stills, bounded memory, closing early and bad input. */
class SourceBehaviourTest {

    private final MediaServiceImpl media = new MediaServiceImpl(4, 4);

    @TempDir
    Path dir;

    @Test
    void oversizedPicturesAreRefusedBeforeAllocation() throws Exception {
        BufferedImage wide = new BufferedImage(9000, 2, BufferedImage.TYPE_INT_RGB);
        Path png = dir.resolve("wide.png");
        ImageIO.write(wide, "png", png.toFile());
        MediaException e = assertThrows(MediaException.class,
                () -> media.open(png, new DecodeRequest(0, 0, FrameRate.FPS_25, 0, 0)));
        assertTrue(e.getMessage().contains("9000x2") && e.getMessage().contains("wide.png"), e.getMessage());
        e = assertThrows(MediaException.class,
                () -> media.create(dir.resolve("huge.mp4"), EncodeSettings.h264(8192, 8192,
                        FrameRate.FPS_25)));
        assertTrue(e.getMessage().contains("8192x8192"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("huge.mp4")));
    }

    @Test
    void stillImageRepeatsForEveryFrame() throws Exception {
        BufferedImage img = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, (x * 4) << 16 | (y * 8) << 8 | ((x + y) & 0xff));
            }
        }
        Path png = dir.resolve("still.png");
        ImageIO.write(img, "png", png.toFile());

        MediaInfo info = media.probe(png);
        assertTrue(info.still());
        assertEquals(64, info.width());
        assertEquals(FrameRate.FPS_25, info.frameRate());

        List<VideoFrame> frames = Fixtures.decodeAll(media, png, Fixtures.range(100, 109, FrameRate.NTSC_30));
        assertEquals(10, frames.size());
        byte[] expected = new byte[64 * 32 * 3];
        for (int i = 0; i < 64 * 32; i++) {
            int rgb = img.getRGB(i % 64, i / 64);
            expected[i * 3] = (byte) (rgb >> 16);
            expected[i * 3 + 1] = (byte) (rgb >> 8);
            expected[i * 3 + 2] = (byte) rgb;
        }
        for (VideoFrame f : frames) {
            byte[] got = new byte[f.byteCount()];
            f.rgb().get(0, got);
            assertArrayEquals(expected, got, "frame " + f.index());
        }
        assertTrue(frames.get(0).rgb() != frames.get(1).rgb(), "each frame owns its pixels");

        Path jpg = dir.resolve("still.jpg");
        ImageIO.write(img, "jpg", jpg.toFile());
        assertTrue(media.probe(jpg).still());
        assertEquals(3, Fixtures.decodeAll(media, jpg, Fixtures.range(0, 2, FrameRate.FPS_25)).size());
    }

    @Test
    void longClipNeverHoldsMoreThanTheQueue() throws Exception {
        int count = 400;
        Path clip = Fixtures.indexClip(media, dir.resolve("long.mkv"),
                EncodeSettings.h264(32, 16, FrameRate.FPS_25).withCodec(VideoCodec.FFV1), count);
        try (FfmpegDecoder d = media.decoder(clip, media.probe(clip), Fixtures.range(0, count - 1, FrameRate.FPS_25))
                .start()) {
            long n = 0;
            VideoFrame f;
            while ((f = d.next()) != null) {
                assertEquals(n % 256, Fixtures.decodeIndex(f), "frame " + n); // 8 bars: indices wrap at 256
                n++;
                if (n % 50 == 0) {
                    Thread.sleep(20); // a slow consumer lets the decoder run ahead as far as it can
                }
            }
            assertEquals(count, n);
            assertEquals(4, d.capacity());
            assertTrue(d.maxBuffered() <= d.capacity(), "held at most " + d.maxBuffered());
            assertTrue(d.maxBuffered() >= 2, "the decoder did run ahead: " + d.maxBuffered());
        }
    }

    @Test
    void closingEarlyStopsTheDecoder() throws Exception {
        Path clip = Fixtures.indexClip(media, dir.resolve("c.mkv"),
                EncodeSettings.h264(32, 16, FrameRate.FPS_25).withCodec(VideoCodec.FFV1), 50);
        FrameSource src = media.open(clip, Fixtures.range(0, 49, FrameRate.FPS_25));
        src.next();
        src.close();
        src.close(); // idempotent
        assertNull(src.next());
        assertEquals(50, src.frameCount());
    }

    private static void assertNamesFile(Path file, Executable call) {
        MediaException e = assertThrows(MediaException.class, call);
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    @Test
    void badInputIsAMediaExceptionNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.mp4");
        assertNamesFile(missing, () -> media.probe(missing));
        assertNamesFile(missing, () -> media.open(missing, Fixtures.range(0, 1, FrameRate.FPS_25)));

        Path text = dir.resolve("notes.mp4");
        Files.writeString(text, "this is not a video, just a text file renamed to .mp4\n".repeat(50));
        assertNamesFile(text, () -> media.probe(text));
        assertNamesFile(text, () -> media.open(text, Fixtures.range(0, 1, FrameRate.FPS_25)));

        Path folder = Files.createDirectory(dir.resolve("folder.mp4"));
        assertNamesFile(folder, () -> media.probe(folder));

        Path empty = Files.createFile(dir.resolve("empty.mkv"));
        assertNamesFile(empty, () -> media.probe(empty));
    }

    @Test
    void audioOnlyFileHasNoVideoToOpen() throws Exception {
        Path wav = dir.resolve("tone.wav");
        Fixtures.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1", wav.toString());
        MediaInfo info = media.probe(wav);
        assertTrue(info.hasAudio());
        assertEquals(44100, info.sampleRate());
        assertEquals(1.0, info.durationSeconds(), 0.01);
        assertNamesFile(wav, () -> media.open(wav, Fixtures.range(0, 1, FrameRate.FPS_25)));
    }

    @Test
    void encoderSetupErrorsNameFileAndCodec() {
        Path out = dir.resolve("odd.mp4");
        // a colour tag FFmpeg does not know
        EncodeSettings bad = EncodeSettings.h264(100, 50, FrameRate.FPS_25)
                .withColor(null, new ColorInfo("no-such-matrix", null, null, null));
        MediaException e = assertThrows(MediaException.class, () -> media.create(out, bad));
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("H264"), e.getMessage());
        assertTrue(Files.notExists(out) && Files.notExists(dir.resolve(".odd.partial.mp4")));
    }
}

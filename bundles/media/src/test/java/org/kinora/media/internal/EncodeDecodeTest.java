package org.kinora.media.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinora.media.internal.Fixtures.H;
import static org.kinora.media.internal.Fixtures.W;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.time.FrameRate;

/** Encoding with each codec, the lossless round trip, colour tags and the temporary-name protocol. */
class EncodeDecodeTest {

    private final MediaServiceImpl media = new MediaServiceImpl();

    @TempDir
    Path dir;

    @Test
    void ffv1RoundTripIsPixelExact() throws Exception {
        EncodeSettings s = EncodeSettings.h264(W, H, FrameRate.FPS_25).withCodec(VideoCodec.FFV1);
        List<VideoFrame> written = new ArrayList<>();
        Path out = dir.resolve("lossless.mkv");
        try (FrameSink sink = media.create(out, s)) {
            for (int i = 0; i < 12; i++) {
                VideoFrame f = Fixtures.noiseFrame(i, W, H);
                written.add(f);
                sink.write(f);
            }
            sink.finish();
        }
        MediaInfo info = media.probe(out);
        assertEquals("ffv1", info.videoCodec());
        assertEquals("bgr0", info.pixelFormat());
        assertEquals(12, info.frameCount());

        List<VideoFrame> read = Fixtures.decodeAll(media, out, Fixtures.range(0, 11, FrameRate.FPS_25));
        assertEquals(12, read.size());
        for (int i = 0; i < 12; i++) {
            assertEquals(i, read.get(i).index());
            assertArrayEquals(bytes(written.get(i)), bytes(read.get(i)), "frame " + i + " differs");
        }
    }

    @Test
    void gbrpRequestStaysLossless() throws Exception {
        // FFmpeg 8's FFV1 has no 8-bit gbrp; the request falls back to bgr0, which is just as exact.
        EncodeSettings s = EncodeSettings.h264(W, H, FrameRate.FPS_25).withCodec(VideoCodec.FFV1).withColor("gbrp",
                ColorInfo.UNKNOWN);
        Path out = dir.resolve("gbrp.mkv");
        VideoFrame f = Fixtures.noiseFrame(3, W, H);
        try (FrameSink sink = media.create(out, s)) {
            sink.write(f);
            sink.finish();
        }
        assertEquals("bgr0", media.probe(out).pixelFormat());
        VideoFrame back = Fixtures.decodeAll(media, out, Fixtures.range(0, 0, FrameRate.FPS_25)).get(0);
        assertArrayEquals(bytes(f), bytes(back));
    }

    @Test
    void h264IsTheDefaultInMp4() throws Exception {
        Path out = Fixtures.indexClip(media, dir.resolve("default.mp4"), EncodeSettings.h264(W, H, FrameRate.FPS_25), 10);
        MediaInfo info = media.probe(out);
        assertEquals("h264", info.videoCodec());
        assertEquals("yuv420p", info.pixelFormat());
        assertEquals(W, info.width());
        assertEquals(H, info.height());
        assertEquals(FrameRate.FPS_25, info.frameRate());
        assertEquals(10, info.frameCount());
        assertFalse(info.hasAudio());
        assertFalse(info.still());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L),
                Fixtures.indices(Fixtures.decodeAll(media, out, Fixtures.range(0, 9, FrameRate.FPS_25))));
    }

    @Test
    void anRgbSourcesColorTagsDoNotBreakYuvOutput() throws Exception {
        // an FFV1/bgr0 source probes as colorspace gbr, range pc: libx264 refuses that matrix, so the output takes the defaults
        EncodeSettings s = EncodeSettings.h264(W, H, FrameRate.FPS_25).withColor(null, new ColorInfo("gbr", "pc", null, null));
        MediaInfo info = media.probe(Fixtures.indexClip(media, dir.resolve("from-rgb.mp4"), s, 3));
        assertEquals("h264", info.videoCodec());
        assertEquals("yuv420p", info.pixelFormat());
        assertNotEquals("gbr", info.color().space());
        EncodeSettings lossless = s.withCodec(VideoCodec.FFV1);
        assertEquals("bgr0", media.probe(Fixtures.indexClip(media, dir.resolve("from-rgb.mkv"), lossless, 3)).pixelFormat());
    }

    @Test
    void proresIsSelectable() throws Exception {
        EncodeSettings s = EncodeSettings.h264(W, H, FrameRate.NTSC_30).withCodec(VideoCodec.PRORES);
        Path out = Fixtures.indexClip(media, dir.resolve("grade.mov"), s, 5);
        MediaInfo info = media.probe(out);
        assertEquals("prores", info.videoCodec());
        assertEquals("yuv422p10le", info.pixelFormat());
        assertEquals(FrameRate.NTSC_30, info.frameRate());
        assertEquals(5, info.frameCount());
    }

    @Test
    void ffv1DefaultsToRgbAndKeepsASupportedSourceFormat() throws Exception {
        EncodeSettings rgb = EncodeSettings.h264(W, H, FrameRate.FPS_25).withCodec(VideoCodec.FFV1);
        assertEquals("bgr0", media.probe(Fixtures.indexClip(media, dir.resolve("a.mkv"), rgb, 2)).pixelFormat());
        EncodeSettings yuv = rgb.withColor("yuv420p", ColorInfo.UNKNOWN);
        assertEquals("yuv420p", media.probe(Fixtures.indexClip(media, dir.resolve("b.mkv"), yuv, 2)).pixelFormat());
        // A format the codec cannot write falls back to the codec's usual one instead of failing.
        EncodeSettings odd = EncodeSettings.h264(W, H, FrameRate.FPS_25).withColor("gbrp", ColorInfo.UNKNOWN)
                .withCodec(VideoCodec.PRORES);
        assertEquals("yuv422p10le", media.probe(Fixtures.indexClip(media, dir.resolve("c.mov"), odd, 2)).pixelFormat());
    }

    @Test
    void colorMetadataIsTagged() throws Exception {
        ColorInfo bt709 = new ColorInfo("bt709", "tv", "bt709", "bt709");
        for (VideoCodec codec : VideoCodec.values()) {
            EncodeSettings s = EncodeSettings.h264(W, H, FrameRate.FPS_25).withCodec(codec)
                    .withColor(codec == VideoCodec.FFV1 ? "yuv420p" : null, bt709);
            Path out = Fixtures.indexClip(media, dir.resolve("tagged." + codec.extension()), s, 3);
            ColorInfo got = media.probe(out).color();
            // QuickTime's 'colr' atom (nclc) has no range flag and ProRes has none in its bitstream: the range of a
            // ProRes .mov cannot be tagged, FFmpeg reads it back as unknown.
            ColorInfo expected = codec == VideoCodec.PRORES ? new ColorInfo("bt709", null, "bt709", "bt709") : bt709;
            assertEquals(expected, got, codec.toString());
        }
        EncodeSettings full = EncodeSettings.h264(W, H, FrameRate.FPS_25)
                .withColor("yuv444p", new ColorInfo("bt470bg", "pc", "bt470bg", "smpte170m"));
        MediaInfo info = media.probe(Fixtures.indexClip(media, dir.resolve("pal.mp4"), full, 3));
        // FFmpeg's H.264 decoder reports full-range 4:4:4 under its legacy "j" name, as ffprobe prints it.
        assertEquals("yuvj444p", info.pixelFormat());
        assertEquals(new ColorInfo("bt470bg", "pc", "bt470bg", "smpte170m"), info.color());
    }

    @Test
    void outputAppearsOnlyOnFinishAndCloseDiscardsIt() throws Exception {
        Path out = dir.resolve("result.mp4");
        try (FrameSink sink = media.create(out, EncodeSettings.h264(W, H, FrameRate.FPS_25))) {
            sink.write(Fixtures.indexFrame(0, W, H));
            assertFalse(Files.exists(out));
            assertTrue(Files.exists(dir.resolve(".result.partial.mp4")), "temporary beside the target");
            // closed without finish
        }
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "nothing left behind");
        }

        try (FrameSink sink = media.create(out, EncodeSettings.h264(W, H, FrameRate.FPS_25))) {
            sink.write(Fixtures.indexFrame(0, W, H));
            assertEquals(out.toAbsolutePath(), sink.finish());
        }
        assertTrue(Files.exists(out));
        assertFalse(Files.exists(dir.resolve(".result.partial.mp4")));
    }

    @Test
    void encodingIntoAMissingFolderCreatesIt() throws Exception {
        Path out = dir.resolve("kinora-media").resolve("clip.mkv");
        Fixtures.indexClip(media, out, EncodeSettings.h264(W, H, FrameRate.FPS_25).withCodec(VideoCodec.FFV1), 1);
        assertTrue(Files.isRegularFile(out));
    }

    private static byte[] bytes(VideoFrame f) {
        byte[] b = new byte[f.byteCount()];
        f.rgb().duplicate().position(0).get(b);
        return b;
    }
}

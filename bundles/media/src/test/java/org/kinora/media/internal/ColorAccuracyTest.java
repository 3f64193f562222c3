package org.kinora.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.media.ColorInfo;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.time.FrameRate;

/**
 * RGB <-> YUV with the matrix and range the stream is tagged with, checked against itself (round trips) and against the
 * ffmpeg CLI and melt, which convert with the tags as a player does. Pictures are big blocks of flat colour (pure
 * primaries and secondaries, a grey ramp, assorted mid tones) compared on block interiors, so chroma subsampling and
 * compression do not blur the comparison.
 */
class ColorAccuracyTest {

    static final int W = 320;
    static final int H = 192;
    static final int BLOCK = 32;
    /** Pixels left out at each block edge: chroma subsampling and H.264 blur edges a little. */
    static final int INSET = 6;
    /** Mean absolute error per channel allowed on a block interior. */
    static final double TOLERANCE = 3;

    static final ColorInfo BT709_TV = new ColorInfo("bt709", "tv", "bt709", "bt709");
    static final ColorInfo BT601_TV = new ColorInfo("smpte170m", "tv", "smpte170m", "smpte170m");

    private final MediaServiceImpl media = new MediaServiceImpl();

    @TempDir
    Path dir;

    @Test
    void bt709RoundTrip() throws Exception {
        assertRoundTrip(BT709_TV, "yuv420p", W, H);
    }

    @Test
    void bt601RoundTrip() throws Exception {
        assertRoundTrip(BT601_TV, "yuv420p", W, H);
        assertRoundTrip(new ColorInfo("bt470bg", "tv", "bt470bg", "smpte170m"), "yuv420p", W, H);
    }

    @Test
    void fullRangeAndBt2020RoundTrip() throws Exception {
        Path pc = assertRoundTrip(new ColorInfo("bt709", "pc", "bt709", "bt709"), "yuv420p", W, H);
        assertClose("ffmpeg vs ours (bt709 pc)", cliDecode(pc, "bt709", "pc", W, H), decodeFirst(pc, 0, 0), 1.5);
        Path bt2020 = assertRoundTrip(new ColorInfo("bt2020nc", "tv", "bt2020", "bt709"), "yuv420p", W, H);
        assertClose("ffmpeg vs ours (bt2020)", cliDecode(bt2020, "bt2020", "tv", W, H), decodeFirst(bt2020, 0, 0),
                1.5);
    }

    @Test
    void proresRoundTrip() throws Exception {
        // 10-bit 4:2:2 in QuickTime; the range is not stored there, so limited range is assumed both ways.
        VideoFrame src = colorFrame(W, H);
        Path out = encode(dir.resolve("p.mov"), src, EncodeSettings.h264(W, H, FrameRate.FPS_25)
                .withCodec(VideoCodec.PRORES).withColor(null, BT709_TV));
        assertClose("prores bt709", src, decodeFirst(out, 0, 0), TOLERANCE);
    }

    /** The tags we write are the conversion we did: the ffmpeg CLI, told to follow them, sees the same picture. */
    @Test
    void ffmpegCliDecodesOurBt709LikeWeDo() throws Exception {
        VideoFrame src = colorFrame(W, H);
        Path out = encode(dir.resolve("ours709.mp4"), src,
                EncodeSettings.h264(W, H, FrameRate.FPS_25).withColor("yuv420p", BT709_TV));
        VideoFrame cli = cliDecode(out, "bt709", "tv", W, H);
        VideoFrame ours = decodeFirst(out, 0, 0);
        assertClose("ffmpeg vs ours (bt709)", cli, ours, 1.5);
        assertClose("ffmpeg vs source (bt709)", src, cli, TOLERANCE);
    }

    @Test
    void ffmpegCliDecodesOurBt601LikeWeDo() throws Exception {
        VideoFrame src = colorFrame(W, H);
        Path out = encode(dir.resolve("ours601.mp4"), src,
                EncodeSettings.h264(W, H, FrameRate.FPS_25).withColor("yuv420p", BT601_TV));
        assertClose("ffmpeg vs ours (bt601)", cliDecode(out, "bt601", "tv", W, H), decodeFirst(out, 0, 0), 1.5);
    }

    /** A clip the ffmpeg CLI made from known RGB with BT.709 (as cameras and NLEs write HD) decodes to that RGB. */
    @Test
    void ffmpegCliBt709ClipDecodesToItsRgb() throws Exception {
        VideoFrame src = colorFrame(W, H);
        Path rgb = dir.resolve("src.rgb");
        Files.write(rgb, bytes(src));
        Path clip = dir.resolve("cli709.mp4");
        Fixtures.ffmpeg("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", W + "x" + H, "-r", "25", "-i", rgb.toString(),
                "-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p", "-c:v", "libx264", "-crf", "12",
                "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "tv",
                clip.toString());
        assertEquals(BT709_TV, media.probe(clip).color());
        assertClose("cli-encoded bt709 -> ours", src, decodeFirst(clip, 0, 0), TOLERANCE);
        // full range too
        Path full = dir.resolve("cli709pc.mp4");
        Fixtures.ffmpeg("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", W + "x" + H, "-r", "25", "-i", rgb.toString(),
                "-vf", "scale=out_color_matrix=bt709:out_range=pc,format=yuv420p", "-c:v", "libx264", "-crf", "12",
                "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709", "-color_range", "pc",
                full.toString());
        assertClose("cli-encoded bt709 pc -> ours", src, decodeFirst(full, 0, 0), TOLERANCE);
    }

    /** Untagged HD is BT.709 and untagged SD BT.601, both ways, as players assume. */
    @Test
    void untaggedDefaultsFollowTheFrameHeight() throws Exception {
        int hdW = 1280;
        int hdH = 720;
        VideoFrame hd = colorFrame(hdW, hdH);
        Path hdOut = encode(dir.resolve("hd.mp4"), hd, EncodeSettings.h264(hdW, hdH, FrameRate.FPS_25));
        assertEquals(ColorInfo.UNKNOWN, media.probe(hdOut).color());
        assertClose("untagged HD: ffmpeg bt709 vs source", hd, cliDecode(hdOut, "bt709", "tv", hdW, hdH), TOLERANCE);
        assertClose("untagged HD round trip", hd, decodeFirst(hdOut, 0, 0), TOLERANCE);
        // the same file scaled down on decode keeps the source's (HD) matrix
        VideoFrame small = decodeFirst(hdOut, 640, 360);
        assertEquals(640, small.width());
        assertClose("untagged HD decoded at 640x360", colorFrame(640, 360, BLOCK / 2), small, TOLERANCE, BLOCK / 2, 4);

        VideoFrame sd = colorFrame(W, H);
        Path sdOut = encode(dir.resolve("sd.mp4"), sd, EncodeSettings.h264(W, H, FrameRate.FPS_25));
        assertClose("untagged SD: ffmpeg bt601 vs source", sd, cliDecode(sdOut, "bt601", "tv", W, H), TOLERANCE);
        assertClose("untagged SD round trip", sd, decodeFirst(sdOut, 0, 0), TOLERANCE);
    }

    /** Stills: JPEG is BT.601 full range whatever its size; grey PNG is full range. */
    @Test
    void stillsDecodeToTheirRgb() throws Exception {
        int w = 1280;
        int h = 768;
        VideoFrame src = colorFrame(w, h, 64);
        Path rgb = dir.resolve("still.rgb");
        Files.write(rgb, bytes(src));
        Path jpg = dir.resolve("still.jpg");
        Fixtures.ffmpeg("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", w + "x" + h, "-i", rgb.toString(), "-frames:v",
                "1", "-q:v", "1", jpg.toString());
        VideoFrame back = decodeFirst(jpg, 0, 0);
        assertClose("jpeg still (HD size)", src, back, TOLERANCE, 64, 12);

        byte[] ramp = new byte[256 * 16];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (byte) (i % 256);
        }
        Path gray = dir.resolve("gray.raw");
        Files.write(gray, ramp);
        Path png = dir.resolve("gray.png");
        Fixtures.ffmpeg("-f", "rawvideo", "-pix_fmt", "gray", "-s", "256x16", "-i", gray.toString(), "-frames:v", "1",
                png.toString());
        assertEquals("gray", media.probe(png).pixelFormat());
        byte[] out = bytes(decodeFirst(png, 0, 0));
        for (int i = 0; i < ramp.length; i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(ramp[i], out[i * 3 + c], "grey " + (i % 256));
            }
        }
    }

    @Test
    void meltAgrees() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/melt")), "melt not installed");
        VideoFrame src = colorFrame(W, H);
        Path out = encode(dir.resolve("melt709.mp4"), src,
                EncodeSettings.h264(W, H, FrameRate.FPS_25).withColor("yuv420p", BT709_TV));
        Path raw = dir.resolve("melt.rgb");
        // A profile of the clip's own size and square pixels, or melt letterboxes it into its default (PAL) frame.
        Path profile = dir.resolve("profile");
        Files.writeString(profile, "description=test\nframe_rate_num=25\nframe_rate_den=1\nwidth=" + W + "\nheight="
                + H + "\nprogressive=1\nsample_aspect_num=1\nsample_aspect_den=1\ndisplay_aspect_num=" + W
                + "\ndisplay_aspect_den=" + H + "\ncolorspace=709\n");
        List<String> cmd = List.of("melt", "-silent", "-quiet", "-profile", profile.toString(), out.toString(),
                "out=0", "-consumer", "avformat:" + raw, "f=rawvideo", "vcodec=rawvideo", "pix_fmt=rgb24", "an=1",
                "real_time=0");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.size(raw) >= W * H * 3L,
                "melt could not render: " + log);
        byte[] first = new byte[W * H * 3];
        System.arraycopy(Files.readAllBytes(raw), 0, first, 0, first.length);
        VideoFrame melt = new VideoFrame(0, W, H, ByteBuffer.wrap(first));
        assertClose("melt vs ours (bt709)", melt, decodeFirst(out, 0, 0), TOLERANCE);
        assertClose("melt vs source (bt709)", src, melt, TOLERANCE);
    }

    @Test
    void lowLevelMatrixChoice() {
        assertEquals(ColorConversion.Matrix.BT709, ColorConversion.Matrix.of("bt709", 480));
        assertEquals(ColorConversion.Matrix.BT601, ColorConversion.Matrix.of("smpte170m", 1080));
        assertEquals(ColorConversion.Matrix.BT601, ColorConversion.Matrix.of("bt470bg", 1080));
        assertEquals(ColorConversion.Matrix.BT2020, ColorConversion.Matrix.of("bt2020nc", 480));
        assertEquals(ColorConversion.Matrix.BT601, ColorConversion.Matrix.of(null, 576));
        assertEquals(ColorConversion.Matrix.BT709, ColorConversion.Matrix.of(null, 720));
        assertEquals(ColorConversion.Matrix.BT709, ColorConversion.Matrix.of("unknown-thing", 1080));
    }

    // --- helpers

    private Path assertRoundTrip(ColorInfo color, String pixFmt, int w, int h) throws Exception {
        VideoFrame src = colorFrame(w, h);
        Path out = encode(dir.resolve("rt-" + color.space() + "-" + color.range() + ".mp4"), src,
                EncodeSettings.h264(w, h, FrameRate.FPS_25).withColor(pixFmt, color));
        assertEquals(color, media.probe(out).color());
        assertClose("round trip " + color.space() + "/" + color.range(), src, decodeFirst(out, 0, 0), TOLERANCE);
        return out;
    }

    private Path encode(Path out, VideoFrame frame, EncodeSettings s) throws Exception {
        try (FrameSink sink = media.create(out, s)) {
            sink.write(frame);
            sink.write(frame);
            return sink.finish();
        }
    }

    private VideoFrame decodeFirst(Path file, int w, int h) throws Exception {
        return Fixtures.decodeAll(media, file, new DecodeRequest(0, 0, FrameRate.FPS_25, w, h)).get(0);
    }

    /**
     * The first picture as the ffmpeg CLI converts it to RGB, told the matrix and range, with exact rounding (its default
     * fast path is off by up to 3 levels on some colours).
     */
    private VideoFrame cliDecode(Path file, String matrix, String range, int w, int h)
            throws IOException, InterruptedException {
        Path raw = dir.resolve(file.getFileName() + "." + matrix + ".rgb");
        Fixtures.ffmpeg("-i", file.toString(), "-frames:v", "1", "-vf",
                "scale=in_color_matrix=" + matrix + ":in_range=" + range
                        + ":flags=bicubic+accurate_rnd+full_chroma_int,format=rgb24", "-f", "rawvideo",
                raw.toString());
        byte[] b = Files.readAllBytes(raw);
        assertEquals(w * h * 3, b.length);
        return new VideoFrame(0, w, h, ByteBuffer.wrap(b));
    }

    /** The test palette: pure colours, a grey ramp and mid tones, one per {@code block}-sized square. */
    static VideoFrame colorFrame(int w, int h) {
        return colorFrame(w, h, BLOCK);
    }

    static VideoFrame colorFrame(int w, int h, int block) {
        List<int[]> palette = palette();
        int cols = w / block;
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = palette.get(((y / block) * cols + x / block) % palette.size());
                int i = (y * w + x) * 3;
                px[i] = (byte) c[0];
                px[i + 1] = (byte) c[1];
                px[i + 2] = (byte) c[2];
            }
        }
        return new VideoFrame(0, w, h, ByteBuffer.wrap(px));
    }

    static List<int[]> palette() {
        List<int[]> p = new ArrayList<>();
        int[][] pure = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {0, 255, 255}, {255, 0, 255}, {255, 255, 0},
            {255, 255, 255}, {0, 0, 0}};
        p.addAll(List.of(pure));
        for (int g = 0; g <= 255; g += 17) {
            p.add(new int[] {g, g, g});
        }
        int[][] mid = {{200, 150, 110}, {120, 60, 30}, {30, 120, 200}, {90, 200, 90}, {180, 40, 120}, {250, 200, 60},
            {60, 60, 160}, {128, 128, 64}, {220, 100, 100}, {100, 220, 220}};
        p.addAll(List.of(mid));
        long seed = 12345;
        while (p.size() < 64) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            p.add(new int[] {(int) (seed >>> 56) & 0xff, (int) (seed >>> 48) & 0xff, (int) (seed >>> 40) & 0xff});
        }
        return p;
    }

    static void assertClose(String what, VideoFrame expected, VideoFrame actual, double tolerance) {
        assertClose(what, expected, actual, tolerance, BLOCK, INSET);
    }

    /**
     * Compares block interiors: for each block and channel the mean absolute difference; fails when the worst exceeds
     * {@code tolerance}. Prints the worst and the average so the test log documents the accuracy.
     */
    static void assertClose(String what, VideoFrame expected, VideoFrame actual, double tolerance, int block,
            int inset) {
        assertEquals(expected.width(), actual.width(), what);
        assertEquals(expected.height(), actual.height(), what);
        int w = expected.width();
        byte[] e = bytes(expected);
        byte[] a = bytes(actual);
        double worst = 0;
        double sum = 0;
        int blocks = 0;
        String where = "";
        for (int by = 0; by + block <= expected.height(); by += block) {
            for (int bx = 0; bx + block <= w; bx += block) {
                double[] err = new double[3];
                int n = 0;
                for (int y = by + inset; y < by + block - inset; y++) {
                    for (int x = bx + inset; x < bx + block - inset; x++) {
                        int i = (y * w + x) * 3;
                        for (int c = 0; c < 3; c++) {
                            err[c] += Math.abs((e[i + c] & 0xff) - (a[i + c] & 0xff));
                        }
                        n++;
                    }
                }
                for (int c = 0; c < 3; c++) {
                    double m = err[c] / n;
                    sum += m;
                    if (m > worst) {
                        worst = m;
                        int i = ((by + block / 2) * w + bx + block / 2) * 3;
                        where = String.format(Locale.ROOT, "block (%d,%d) channel %d: expected %d,%d,%d got %d,%d,%d",
                                bx, by, c, e[i] & 0xff, e[i + 1] & 0xff, e[i + 2] & 0xff, a[i] & 0xff,
                                a[i + 1] & 0xff, a[i + 2] & 0xff);
                    }
                }
                blocks++;
            }
        }
        String report = String.format(Locale.ROOT, "%s: worst block/channel mean error %.2f, average %.2f; %s", what,
                worst, sum / (blocks * 3), where);
        System.out.println("[color] " + report);
        assertTrue(worst <= tolerance, report);
    }

    static byte[] bytes(VideoFrame f) {
        byte[] b = new byte[f.byteCount()];
        f.rgb().duplicate().position(0).get(b);
        return b;
    }
}

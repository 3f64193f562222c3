package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code motion-brush} effect measured on its output, through the real command line: a textured still on V1 of a
 * Shotcut project, a brush file with a diagonal flow region, a static box inside it and unpainted areas; the result is
 * encoded lossless (FFV1) and decoded with the ffmpeg CLI, then block matching measures the motion between consecutive
 * frames, static and unpainted pixels are compared with the still, the loop seam with the steps, and every frame is
 * searched for holes.
 */
class MotionBrushMeasureTest {

    static final int W = 320;
    static final int H = 180;
    /** 1.6 s at 25 fps. */
    static final int N = 40;

    /** Requested velocity: direction [2, 1] at sqrt(0.8^2 + 0.4^2) * 25 px/s = (0.8, 0.4) px per frame. */
    static final double VX = 0.8;
    static final double VY = 0.4;
    static final double SPEED = Math.hypot(VX, VY) * 25;

    /** The flow band [x0, x1) x [y0, y1), feathered 4 px, and the static box inside it. */
    static final int[] FLOW = {8, 8, 312, 110};
    static final int FEATHER = 4;
    static final int[] STATIC = {240, 40, 300, 80};

    /**
     * Where block matching measures: away from every edge by more than the largest displacement over the clip (0.8 x 40
     * = 32 px across, 16 px down) plus the feather, because near an edge the forward or the backward splat of the
     * symmetric blend is stretched or piled up there, so the motion there is not the requested one by design.
     */
    static final int[] MEASURE = {44, 28, 204, 90};
    static final int BLOCK = 16;

    @TempDir
    static Path dir;

    static int[] still;
    static Path project;
    static Path brushes;
    static byte[] projectBefore;

    @BeforeAll
    static void makeProject() throws Exception {
        still = texture(W, H, 11);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, W, H, still, 0, W);
        ImageIO.write(img, "png", dir.resolve("still.png").toFile());
        brushes = Files.writeString(dir.resolve("brushes.json"), String.format(Locale.ROOT, """
                {"brushes": [
                  {"region": {"polygon": [[%d, %d], [%d, %d], [%d, %d], [%d, %d]], "feather": %d},
                   "motion": {"kind": "flow", "direction": [2, 1], "speed": %.6f}},
                  {"region": {"polygon": [[%d, %d], [%d, %d], [%d, %d], [%d, %d]]}, "static": true}
                ]}
                """, FLOW[0], FLOW[1], FLOW[2], FLOW[1], FLOW[2], FLOW[3], FLOW[0], FLOW[3], FEATHER, SPEED,
                STATIC[0], STATIC[1], STATIC[2], STATIC[1], STATIC[2], STATIC[3], STATIC[0], STATIC[3]), StandardCharsets.UTF_8);
        project = Files.writeString(dir.resolve("still.mlt"), shotcutProject("still.png", W, H, N), StandardCharsets.UTF_8);
        projectBefore = Files.readAllBytes(project);
    }

    @Test
    void motionMatchesTheBrushesStaticAndUnpaintedStayLoopIsSeamlessNoHoles() throws Exception {
        Path work = Files.createDirectories(dir.resolve("replace"));
        Path p = Files.copy(project, work.resolve("still.mlt"));
        Files.copy(dir.resolve("still.png"), work.resolve("still.png"));
        SharedRuntime.Result r = SharedRuntime.cli("apply", p.toString(), "--clip", "V1:1", "--effect", "motion-brush", "--set",
                "brushes=" + brushes, "--codec", "ffv1");
        assertEquals(0, r.exit(), r.all());
        Path media = onlyMedia(work);
        assertTrue(media.getFileName().toString().endsWith(".mkv"), media.toString());
        int[][] frames = decode(media);
        assertEquals(N, frames.length, "the clip's length at the project's rate");

        // no holes, where a hole is a pixel no splat explains: every output pixel is a blend of still pixels and the
        // still's colours lie in [40, 220] per channel and change smoothly, so a hole is a near-black pixel (the zero a
        // never-written pixel keeps), a channel outside the still's range, or a pixel farther from all 8 of its
        // neighbours than 4 times the largest such step anywhere in the still
        int stillStep = isolation(still);
        int limit = 4 * stillStep;
        assertEquals(List.of(), holes(still, limit), "the hole test finds none on the still itself");
        int[] range = channelRange(still);
        int worstStep = 0;
        for (int t = 0; t < N; t++) {
            assertEquals(List.of(), holes(frames[t], limit), "frame " + t + ": holes");
            worstStep = Math.max(worstStep, isolation(frames[t]));
            int[] fr = channelRange(frames[t]);
            for (int c = 0; c < 3; c++) {
                assertTrue(fr[2 * c] >= range[2 * c] && fr[2 * c + 1] <= range[2 * c + 1], "frame " + t + " channel " + c + " range "
                        + fr[2 * c] + ".." + fr[2 * c + 1] + " outside the still's " + range[2 * c] + ".." + range[2 * c + 1]);
            }
        }
        System.out.printf(Locale.ROOT, "motion-brush: most isolated pixel: %d in the output, %d in the still (hole above %d)%n", worstStep,
                stillStep, limit);

        // static box (1 px inside its outline, where the mask is whole) and unpainted areas: the still in every frame
        int staticDiff = 0;
        int unpaintedDiff = 0;
        for (int[] f : frames) {
            staticDiff = Math.max(staticDiff, maxDiff(f, still, STATIC[0] + 1, STATIC[1] + 1, STATIC[2] - 1, STATIC[3] - 1));
            unpaintedDiff = Math.max(unpaintedDiff, maxDiff(f, still, 0, FLOW[3] + FEATHER + 1, W, H));
            unpaintedDiff = Math.max(unpaintedDiff, maxDiff(f, still, 0, 0, FLOW[0] - FEATHER - 1, H));
            unpaintedDiff = Math.max(unpaintedDiff, maxDiff(f, still, FLOW[2] + FEATHER + 1, 0, W, H));
        }
        System.out.printf(Locale.ROOT, "motion-brush: largest channel difference from the still: static box %d, unpainted %d%n",
                staticDiff, unpaintedDiff);
        assertTrue(staticDiff <= 1, "static box moved: max channel difference " + staticDiff);
        assertTrue(unpaintedDiff <= 1, "unpainted area moved: max channel difference " + unpaintedDiff);
        double still0 = meanDiff(frames[0], still, FLOW[0], FLOW[1], FLOW[2], FLOW[3]);
        assertTrue(still0 < 1.0, "frame 0 of a loop is the still: mean difference in the flow band " + still0);

        // motion: block matching between consecutive frames inside the flow band. Bilinear splatting blurs each frame a
        // little differently (by its sub-pixel phase), which biases single estimates by up to ~0.4 px on some textures,
        // so the tolerances are on medians over blocks, per frame pair and over the clip, and on each block's mean
        int nb = blocks();
        double[] vx = new double[(N - 1) * nb];
        double[] vy = new double[vx.length];
        double[] blockX = new double[nb];
        double[] blockY = new double[nb];
        for (int t = 0; t + 1 < N; t++) {
            double[] a = gray(frames[t]);
            double[] b = gray(frames[t + 1]);
            int i = 0;
            for (int by = MEASURE[1]; by + BLOCK <= MEASURE[3]; by += BLOCK) {
                for (int bx = MEASURE[0]; bx + BLOCK <= MEASURE[2]; bx += BLOCK, i++) {
                    double[] d = match(a, b, bx, by);
                    vx[t * nb + i] = d[0];
                    vy[t * nb + i] = d[1];
                    blockX[i] += d[0] / (N - 1);
                    blockY[i] += d[1] / (N - 1);
                }
            }
            double px = median(Arrays.copyOfRange(vx, t * nb, (t + 1) * nb));
            double py = median(Arrays.copyOfRange(vy, t * nb, (t + 1) * nb));
            assertTrue(Math.abs(px - VX) <= 0.1 && Math.abs(py - VY) <= 0.1,
                    String.format(Locale.ROOT, "frames %d -> %d: median motion (%.3f, %.3f), requested (%.2f, %.2f)", t, t + 1, px, py, VX, VY));
        }
        double mx = median(vx);
        double my = median(vy);
        double worstBlock = 0;
        double worstBlockMedian = 0;
        for (int i = 0; i < nb; i++) {
            worstBlock = Math.max(worstBlock, Math.hypot(blockX[i] - VX, blockY[i] - VY));
            double[] bx = new double[N - 1];
            double[] byy = new double[N - 1];
            for (int t = 0; t + 1 < N; t++) {
                bx[t] = vx[t * nb + i];
                byy[t] = vy[t * nb + i];
            }
            worstBlockMedian = Math.max(worstBlockMedian, Math.hypot(median(bx) - VX, median(byy) - VY));
        }
        System.out.printf(Locale.ROOT, "motion-brush: requested (%.2f, %.2f) px/frame; measured median (%.3f, %.3f) over %d blocks x %d"
                + " frame pairs; the worst block's median over the clip is off by %.3f px/frame (its mean by %.3f)%n", VX, VY, mx, my, nb,
                N - 1, worstBlockMedian, worstBlock);
        assertEquals(VX, mx, 0.05, "median horizontal motion, px/frame");
        assertEquals(VY, my, 0.05, "median vertical motion, px/frame");
        // a loop brings every block's content back once a cycle: the staggered crossfade does it within part of the cycle,
        // where block matching may follow the switch, so each block is judged by its typical (median) motion
        assertTrue(worstBlockMedian <= 0.25, "every block's median motion within 0.25 px/frame of the request; worst " + worstBlockMedian);

        // the loop seam: last frame -> first frame against the steps between frames, in the flow band
        double[] steps = new double[N - 1];
        for (int t = 0; t + 1 < N; t++) {
            steps[t] = meanDiff(frames[t], frames[t + 1], FLOW[0], FLOW[1], FLOW[2], FLOW[3]);
        }
        double seam = meanDiff(frames[N - 1], frames[0], FLOW[0], FLOW[1], FLOW[2], FLOW[3]);
        double typical = median(steps);
        System.out.printf(Locale.ROOT, "motion-brush: loop seam %.3f vs steps median %.3f (min %.3f, max %.3f)%n", seam, typical,
                Arrays.stream(steps).min().orElseThrow(), Arrays.stream(steps).max().orElseThrow());
        assertTrue(typical > 1, "frames do change: median step " + typical);
        assertTrue(seam <= 1.25 * typical, "seam " + seam + " larger than a typical step " + typical);

        // the project plays the result, and melt renders it over the same frames
        String xml = Files.readString(p);
        assertTrue(xml.contains("kinora-media/" + media.getFileName()), "the project references the result");
        assertTrue(xml.contains("<property name=\"kinora:effect\">motion-brush</property>"), "provenance recorded");
        MeltRender before = MeltRender.render(project, N - 1, W, H);
        MeltRender after = MeltRender.render(p, N - 1, W, H);
        MeltRender result = MeltRender.render(media, N - 1, W, H);
        assertEquals(N, before.frames());
        assertEquals(N, after.frames());
        assertEquals(N, result.frames());
        for (int t : new int[] {0, N / 2, N - 1}) {
            assertTrue(after.meanDiff(t, result, t) < 1.0, "timeline frame " + t + " is the result's frame " + t);
        }
        assertTrue(before.meanDiff(N / 2, after, N / 2) > 3, "the middle frame moved on the timeline");
    }

    @Test
    void overlayTakesTheDurationAndWithoutLoopTheSeamShows() throws Exception {
        Path work = Files.createDirectories(dir.resolve("overlay"));
        Path p = Files.copy(project, work.resolve("still.mlt"));
        Files.copy(dir.resolve("still.png"), work.resolve("still.png"));
        Path out = work.resolve("overlay.mlt");
        SharedRuntime.Result r = SharedRuntime.cli("apply", p.toString(), "--clip", "V1:1", "--effect", "motion-brush", "--set",
                "brushes=" + brushes, "--set", "duration=1.2", "--set", "loop=false", "--mode", "overlay", "--codec", "ffv1", "--out",
                out.toString());
        assertEquals(0, r.exit(), r.all());
        assertArrayEquals(projectBefore, Files.readAllBytes(p), "--out leaves the project as it was");
        Path media = onlyMedia(work);
        int[][] frames = decode(media);
        assertEquals(30, frames.length, "duration 1.2 s x 25 fps");

        SharedRuntime.Result info = SharedRuntime.cli("info", out.toString());
        assertEquals(0, info.exit(), info.all());
        assertTrue(info.out().contains("V1:1") && info.out().contains("still.png"), "V1 keeps the still: " + info.out());
        String v2 = info.out().lines().filter(l -> l.strip().startsWith("V2:1")).findFirst().orElse("");
        assertTrue(v2.contains(media.getFileName().toString()) && v2.contains("(30 frames)"),
                "a new track V2 plays the 30-frame result: " + info.out());

        // without the loop the clip just runs on: its seam is many steps, which shows the seam measurement can fail
        double[] steps = new double[frames.length - 1];
        for (int t = 0; t + 1 < frames.length; t++) {
            steps[t] = meanDiff(frames[t], frames[t + 1], FLOW[0], FLOW[1], FLOW[2], FLOW[3]);
        }
        double seam = meanDiff(frames[frames.length - 1], frames[0], FLOW[0], FLOW[1], FLOW[2], FLOW[3]);
        System.out.printf(Locale.ROOT, "motion-brush loop=false: seam %.3f vs steps median %.3f%n", seam, median(steps));
        assertTrue(seam > 3 * median(steps), "loop=false: the last frame is far from the first: seam " + seam);
    }

    @Test
    void durationInReplaceModeIsRefusedAndNothingIsWritten() throws Exception {
        Path work = Files.createDirectories(dir.resolve("refused"));
        Path p = Files.copy(project, work.resolve("still.mlt"));
        Files.copy(dir.resolve("still.png"), work.resolve("still.png"));
        SharedRuntime.Result r = SharedRuntime.cli("apply", p.toString(), "--clip", "V1:1", "--effect", "motion-brush", "--set",
                "brushes=" + brushes, "--set", "duration=2");
        // a parameter that does not fit is a failed run (1) in kinora, as for any bad --set value; 2 is for bad syntax
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("duration") && r.err().contains("--mode overlay"), r.err());
        assertArrayEquals(projectBefore, Files.readAllBytes(p), "the project is byte-identical");
        assertFalse(Files.exists(work.resolve("kinora-media")), "no kinora-media folder");
        try (Stream<Path> s = Files.list(work)) {
            assertEquals(List.of("still.mlt", "still.png"), s.map(x -> x.getFileName().toString()).sorted().toList(), "no backup, nothing new");
        }
    }

    // ---- the project and the still ---------------------------------------------------------------------------------

    /** A Shotcut project whose V1:1 is the image {@code image} (a qimage producer), {@code frames} long. */
    static String shotcutProject(String image, int w, int h, int frames) {
        return """
                <?xml version="1.0" standalone="no"?>
                <mlt LC_NUMERIC="C" version="7.12.0" title="Shotcut version 22.12.21" producer="main_bin">
                  <profile description="%1$dx%2$d 25 fps" width="%1$d" height="%2$d" progressive="1" sample_aspect_num="1" sample_aspect_den="1" display_aspect_num="16" display_aspect_den="9" frame_rate_num="25" frame_rate_den="1" colorspace="709"/>
                  <playlist id="main_bin">
                    <property name="xml_retain">1</property>
                  </playlist>
                  <producer id="black" in="0" out="%4$d">
                    <property name="length">%3$d</property>
                    <property name="eof">pause</property>
                    <property name="resource">0</property>
                    <property name="aspect_ratio">1</property>
                    <property name="mlt_service">color</property>
                    <property name="mlt_image_format">rgba</property>
                    <property name="set.test_audio">0</property>
                  </producer>
                  <playlist id="background">
                    <entry producer="black" in="0" out="%4$d"/>
                  </playlist>
                  <producer id="producer0" in="0" out="%4$d">
                    <property name="length">%3$d</property>
                    <property name="eof">pause</property>
                    <property name="resource">%5$s</property>
                    <property name="ttl">1</property>
                    <property name="aspect_ratio">1</property>
                    <property name="progressive">1</property>
                    <property name="seekable">1</property>
                    <property name="mlt_service">qimage</property>
                    <property name="shotcut:caption">%5$s</property>
                  </producer>
                  <playlist id="playlist0">
                    <property name="shotcut:video">1</property>
                    <property name="shotcut:name">V1</property>
                    <entry producer="producer0" in="0" out="%4$d"/>
                  </playlist>
                  <tractor id="tractor0" shotcut="1" in="0" out="%4$d">
                    <property name="shotcut">1</property>
                    <track producer="background"/>
                    <track producer="playlist0"/>
                    <transition id="transition0">
                      <property name="a_track">0</property>
                      <property name="b_track">1</property>
                      <property name="mlt_service">mix</property>
                      <property name="always_active">1</property>
                      <property name="sum">1</property>
                    </transition>
                  </tractor>
                </mlt>
                """.formatted(w, h, frames, frames - 1, image);
    }

    /**
     * Smooth value noise in two octaves (cells of 12 and 4 px), channels in [40, 220]: texture everywhere for block
     * matching, and smooth enough that neighbouring pixels stay close (the hole test relies on it).
     */
    static int[] texture(int w, int h, long seed) {
        Random rnd = new Random(seed);
        double[][] coarse = lattice(rnd, w / 12 + 2, h / 12 + 2, 3);
        double[][] fine = lattice(rnd, w / 4 + 2, h / 4 + 2, 3);
        int[] px = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = 60 + 140 * smooth(coarse, x / 12.0, y / 12.0, w / 12 + 2, c) + 40 * (smooth(fine, x / 4.0, y / 4.0, w / 4 + 2, c) - 0.5);
                    rgb = rgb << 8 | (int) Math.round(Math.max(40, Math.min(220, v)));
                }
                px[y * w + x] = rgb;
            }
        }
        return px;
    }

    private static double[][] lattice(Random rnd, int gw, int gh, int channels) {
        double[][] g = new double[channels][gw * gh];
        for (double[] ch : g) {
            for (int i = 0; i < ch.length; i++) {
                ch[i] = rnd.nextDouble();
            }
        }
        return g;
    }

    private static double smooth(double[][] g, double x, double y, int gw, int c) {
        int ix = (int) x;
        int iy = (int) y;
        double fx = x - ix;
        double fy = y - iy;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        double[] ch = g[c];
        double top = ch[iy * gw + ix] * (1 - fx) + ch[iy * gw + ix + 1] * fx;
        double bottom = ch[(iy + 1) * gw + ix] * (1 - fx) + ch[(iy + 1) * gw + ix + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    // ---- decoding and measuring ------------------------------------------------------------------------------------

    private static Path onlyMedia(Path work) throws Exception {
        try (Stream<Path> s = Files.list(work.resolve("kinora-media"))) {
            List<Path> all = s.toList();
            assertEquals(1, all.size(), "one result media file: " + all);
            return all.get(0);
        }
    }

    /** Every frame of {@code media} as packed RGB ints, decoded by the ffmpeg CLI (FFV1 RGB to rgb24 is exact). */
    static int[][] decode(Path media) throws Exception {
        Path raw = Files.createTempFile(dir, "frames-", ".rgb");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-i", media.toString(), "-f", "rawvideo", "-pix_fmt", "rgb24",
                raw.toString()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "ffmpeg failed on " + media + ": " + log);
        byte[] data = Files.readAllBytes(raw);
        int fb = W * H * 3;
        assertEquals(0, data.length % fb, "whole " + W + "x" + H + " frames in " + media);
        int[][] frames = new int[data.length / fb][W * H];
        for (int f = 0; f < frames.length; f++) {
            for (int i = 0; i < W * H; i++) {
                int o = f * fb + i * 3;
                frames[f][i] = (data[o] & 0xff) << 16 | (data[o + 1] & 0xff) << 8 | data[o + 2] & 0xff;
            }
        }
        return frames;
    }

    private static int ch(int rgb, int c) {
        return rgb >> (16 - 8 * c) & 0xff;
    }

    /** How far a pixel is from the nearest of its 8 neighbours (largest channel difference), at most over the frame. */
    static int isolation(int[] f) {
        int most = 0;
        for (int y = 1; y < H - 1; y++) {
            for (int x = 1; x < W - 1; x++) {
                most = Math.max(most, nearest(f, x, y));
            }
        }
        return most;
    }

    private static int nearest(int[] f, int x, int y) {
        int v = f[y * W + x];
        int near = 255;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (dx != 0 || dy != 0) {
                    near = Math.min(near, chebyshev(v, f[(y + dy) * W + x + dx]));
                }
            }
        }
        return near;
    }

    /**
     * Pixels that are near black or farther than {@code limit} (in some channel) from each of their 8 neighbours,
     * described (at most 10) with their colour and their neighbours'.
     */
    static List<String> holes(int[] f, int limit) {
        List<String> found = new java.util.ArrayList<>();
        for (int y = 1; y < H - 1; y++) {
            for (int x = 1; x < W - 1; x++) {
                int v = f[y * W + x];
                boolean black = ch(v, 0) < 20 && ch(v, 1) < 20 && ch(v, 2) < 20;
                if ((black || nearest(f, x, y) > limit) && found.size() < 10) {
                    StringBuilder around = new StringBuilder();
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            around.append(String.format(" %06x", f[(y + dy) * W + x + dx]));
                        }
                    }
                    found.add("(" + x + "," + y + ") " + String.format("%06x", v) + " in 3x3:" + around);
                }
            }
        }
        return found;
    }

    private static int chebyshev(int a, int b) {
        return Math.max(Math.abs(ch(a, 0) - ch(b, 0)), Math.max(Math.abs(ch(a, 1) - ch(b, 1)), Math.abs(ch(a, 2) - ch(b, 2))));
    }

    /** min, max of each channel: {r0, r1, g0, g1, b0, b1}. */
    private static int[] channelRange(int[] f) {
        int[] r = {255, 0, 255, 0, 255, 0};
        for (int v : f) {
            for (int c = 0; c < 3; c++) {
                r[2 * c] = Math.min(r[2 * c], ch(v, c));
                r[2 * c + 1] = Math.max(r[2 * c + 1], ch(v, c));
            }
        }
        return r;
    }

    /** Largest channel difference inside [x0, x1) x [y0, y1). */
    private static int maxDiff(int[] a, int[] b, int x0, int y0, int x1, int y1) {
        int m = 0;
        for (int y = Math.max(0, y0); y < Math.min(H, y1); y++) {
            for (int x = Math.max(0, x0); x < Math.min(W, x1); x++) {
                m = Math.max(m, chebyshev(a[y * W + x], b[y * W + x]));
            }
        }
        return m;
    }

    /** Mean absolute difference per channel value inside [x0, x1) x [y0, y1). */
    private static double meanDiff(int[] a, int[] b, int x0, int y0, int x1, int y1) {
        long sum = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int p = a[y * W + x];
                int q = b[y * W + x];
                for (int c = 0; c < 3; c++) {
                    sum += Math.abs(ch(p, c) - ch(q, c));
                }
            }
        }
        return sum / (3.0 * (x1 - x0) * (y1 - y0));
    }

    private static double[] gray(int[] f) {
        double[] g = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            g[i] = (ch(f[i], 0) + ch(f[i], 1) + ch(f[i], 2)) / 3.0;
        }
        return g;
    }

    private static int blocks() {
        return ((MEASURE[2] - MEASURE[0]) / BLOCK) * ((MEASURE[3] - MEASURE[1]) / BLOCK);
    }

    /**
     * Where the block at (bx, by) of {@code a} went in {@code b}: the best whole-pixel shift within 3 px (least squared
     * difference), refined to sub-pixel by Lucas-Kanade (Gauss-Newton on the bilinearly sampled {@code b}).
     */
    static double[] match(double[] a, double[] b, int bx, int by) {
        double best = Double.MAX_VALUE;
        double dx = 0;
        double dy = 0;
        for (int sy = -3; sy <= 3; sy++) {
            for (int sx = -3; sx <= 3; sx++) {
                double e = 0;
                for (int y = by; y < by + BLOCK; y++) {
                    for (int x = bx; x < bx + BLOCK; x++) {
                        double d = b[(y + sy) * W + x + sx] - a[y * W + x];
                        e += d * d;
                    }
                }
                if (e < best) {
                    best = e;
                    dx = sx;
                    dy = sy;
                }
            }
        }
        for (int it = 0; it < 20; it++) {
            double gxx = 0;
            double gxy = 0;
            double gyy = 0;
            double ex = 0;
            double ey = 0;
            for (int y = by; y < by + BLOCK; y++) {
                for (int x = bx; x < bx + BLOCK; x++) {
                    double gx = (sample(b, x + dx + 0.5, y + dy) - sample(b, x + dx - 0.5, y + dy));
                    double gy = (sample(b, x + dx, y + dy + 0.5) - sample(b, x + dx, y + dy - 0.5));
                    double e = sample(b, x + dx, y + dy) - a[y * W + x];
                    gxx += gx * gx;
                    gxy += gx * gy;
                    gyy += gy * gy;
                    ex += gx * e;
                    ey += gy * e;
                }
            }
            double det = gxx * gyy - gxy * gxy;
            if (Math.abs(det) < 1e-9) {
                break;
            }
            double ux = -(gyy * ex - gxy * ey) / det;
            double uy = -(gxx * ey - gxy * ex) / det;
            dx += ux;
            dy += uy;
            if (Math.hypot(ux, uy) < 1e-4) {
                break;
            }
        }
        return new double[] {dx, dy};
    }

    private static double sample(double[] g, double x, double y) {
        x = Math.max(0, Math.min(W - 1.001, x));
        y = Math.max(0, Math.min(H - 1.001, y));
        int ix = (int) x;
        int iy = (int) y;
        double fx = x - ix;
        double fy = y - iy;
        double top = g[iy * W + ix] * (1 - fx) + g[iy * W + ix + 1] * fx;
        double bottom = g[(iy + 1) * W + ix] * (1 - fx) + g[(iy + 1) * W + ix + 1] * fx;
        return top * (1 - fy) + bottom * fy;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}

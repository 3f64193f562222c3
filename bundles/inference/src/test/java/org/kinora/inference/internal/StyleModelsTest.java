package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinora.inference.internal.TestImages.u;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;

/** The built-in styles on the real engine: each looks like its style, strength blends, batches equal single calls. */
class StyleModelsTest {

    static final int W = 320;
    static final int H = 180;
    static InferenceServiceImpl service;
    static byte[] scene;

    @BeforeAll
    static void start() {
        service = new InferenceServiceImpl();
        scene = TestImages.scene(W, H, 7);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static byte[] run(String model, double strength, int w, int h, byte[]... images) throws Exception {
        InferenceResult r = service.infer(new InferenceRequest(model, List.of(TestImages.frames(w, h, images)),
                Map.of("strength", strength), "job-test", Priority.INTERACTIVE));
        Tensor out = r.output("frames").orElseThrow();
        assertArrayEquals(new long[] {images.length, h, w, 3}, out.shape());
        return TestImages.bytes(out);
    }

    @Test
    void cartoonHasFewColorsAndInkOnStrongEdges() throws Exception {
        byte[] out = run("style-cartoon", 1.0, W, H, scene);
        assertTrue(TestImages.meanAbsDiff(scene, out) > 3, "output differs from input");
        int in = TestImages.distinctColors(scene);
        int colors = TestImages.distinctColors(out);
        assertTrue(colors * 8 < in, "far fewer colors: " + colors + " vs " + in);

        // a strong edge: the house's left wall against sky/hills, and the window; flat: inside the sky
        byte[] e = TestImages.edge(W, H, 40, 220, 4, 3);
        byte[] eo = run("style-cartoon", 1.0, W, H, e);
        int dark = 0;
        int flatDark = 0;
        for (int y = 10; y < H - 10; y++) {
            double minL = 255;
            for (int x = W / 2 - 3; x <= W / 2 + 2; x++) {
                minL = Math.min(minL, TestImages.luma(eo, W, x, y));
            }
            if (minL < 25) {
                dark++;
            }
            if (TestImages.luma(eo, W, W / 4, y) < 25 || TestImages.luma(eo, W, 3 * W / 4, y) < 150) {
                flatDark++;
            }
        }
        assertTrue(dark > 0.9 * (H - 20), "ink line along the edge in " + dark + " of " + (H - 20) + " rows");
        assertEquals(0, flatDark, "no ink in flat regions");
    }

    /** 720p, so the reduced-resolution path (smoothing on a reduced copy, upsampling) is exercised. */
    static final int BW = 1280;
    static final int BH = 720;

    /** A flat noisy background {@code bg} with a disc, a thin white stroke and a small brown bar (see the tests). */
    static byte[] artifactScene(int[] bg, long seed) {
        return artifactScene(bg, seed, 3);
    }

    static byte[] artifactScene(int[] bg, long seed, double noise) {
        java.util.Random rnd = new java.util.Random(seed);
        byte[] px = new byte[BW * BH * 3];
        for (int y = 0; y < BH; y++) {
            for (int x = 0; x < BW; x++) {
                int[] c = bg;
                if (Math.hypot(x - 300, y - 300) < 60) {
                    c = new int[] {30, 140, 40}; // a tree crown / ball
                } else if (y >= 500 && y < 502 && x >= 100 && x < 700) {
                    c = new int[] {250, 250, 250}; // a 2 px white caption-like stroke
                } else if (x >= 900 && x < 908 && y >= 250 && y < 310) {
                    c = new int[] {90, 60, 30}; // a thin brown trunk
                }
                double n = rnd.nextGaussian() * noise;
                int i = (y * BW + x) * 3;
                for (int k = 0; k < 3; k++) {
                    px[i + k] = TestImages.clamp(c[k] + n);
                }
            }
        }
        return px;
    }

    static double meanLuma(byte[] px, java.util.function.BiPredicate<Integer, Integer> where) {
        double s = 0;
        int n = 0;
        for (int y = 0; y < BH; y++) {
            for (int x = 0; x < BW; x++) {
                if (where.test(x, y)) {
                    s += TestImages.luma(px, BW, x, y);
                    n++;
                }
            }
        }
        return s / n;
    }

    @Test
    void cartoonHasNoHaloAroundObjectsOnAFlatBackground() throws Exception {
        for (int[] bg : new int[][] {{40, 80, 120}, {45, 80, 120}, {200, 190, 170}}) {
            byte[] out = run("style-cartoon", 1.0, BW, BH, artifactScene(bg, 3, bg[0] == 40 ? 0 : 3));
            // a ring just outside the disc (past its ink line) against the background far away
            double ring = meanLuma(out, (x, y) -> {
                double d = Math.hypot(x - 300, y - 300);
                return d > 63 && d < 80;
            });
            double far = meanLuma(out, (x, y) -> Math.hypot(x - 300, y - 300) > 120 && x < 600 && y < 450);
            assertEquals(far, ring, 6, "no dark or light glow around the disc on " + java.util.Arrays.toString(bg));
        }
    }

    @Test
    void cartoonHasNoHaloAroundTreesOfTheSampleScene() throws Exception {
        // the project's sample frame: flat ground color (exactly 40, 80, 120, no noise) with trees, a ball, a caption
        java.nio.ByteBuffer b = org.kinora.samples.SampleScene.SUNSET.frame(15, 50, BW, BH).rgb().duplicate();
        byte[] img = new byte[b.rewind().remaining()];
        b.get(img);
        byte[] out = run("style-cartoon", 1.0, BW, BH, img);
        // summed-area table of "not ground" pixels, to tell how far each ground pixel is from an object
        int[] sat = new int[(BW + 1) * (BH + 1)];
        for (int y = 0; y < BH; y++) {
            for (int x = 0; x < BW; x++) {
                int i = (y * BW + x) * 3;
                int other = u(img, i) == 40 && u(img, i + 1) == 80 && u(img, i + 2) == 120 ? 0 : 1;
                sat[(y + 1) * (BW + 1) + x + 1] = other + sat[y * (BW + 1) + x + 1] + sat[(y + 1) * (BW + 1) + x]
                        - sat[y * (BW + 1) + x];
            }
        }
        java.util.function.BiFunction<int[], Integer, Integer> objects = (p, r) -> {
            int x0 = Math.max(0, p[0] - r), x1 = Math.min(BW, p[0] + r + 1);
            int y0 = Math.max(0, p[1] - r), y1 = Math.min(BH, p[1] + r + 1);
            return sat[y1 * (BW + 1) + x1] - sat[y0 * (BW + 1) + x1] - sat[y1 * (BW + 1) + x0] + sat[y0 * (BW + 1) + x0];
        };
        double near = meanLuma(out, (x, y) -> y > 420 && objects.apply(new int[] {x, y}, 4) == 0
                && objects.apply(new int[] {x, y}, 14) > 0);
        double far = meanLuma(out, (x, y) -> y > 420 && objects.apply(new int[] {x, y}, 30) == 0);
        assertEquals(far, near, 2, "ground next to objects looks like the ground away from them (no glow)");
    }

    @Test
    void thinBrightStrokesStayBright() throws Exception {
        byte[] img = artifactScene(new int[] {20, 25, 45}, 4);
        for (String model : List.of("style-cartoon", "style-paint")) {
            byte[] out = run(model, 1.0, BW, BH, img);
            double stroke = meanLuma(out, (x, y) -> y >= 500 && y < 502 && x >= 120 && x < 680);
            assertTrue(stroke > 170, model + ": the thin white stroke stays bright, luma " + stroke);
        }
    }

    @Test
    void smallColoredDetailsKeepTheirHue() throws Exception {
        byte[] img = artifactScene(new int[] {45, 80, 120}, 5);
        for (String model : List.of("style-cartoon", "style-paint")) {
            byte[] out = run(model, 1.0, BW, BH, img);
            double r = 0;
            double g = 0;
            double b = 0;
            for (int y = 260; y < 300; y++) {
                for (int x = 902; x < 906; x++) {
                    int i = (y * BW + x) * 3;
                    r += u(out, i);
                    g += u(out, i + 1);
                    b += u(out, i + 2);
                }
            }
            assertTrue(r > g + 10 && g > b + 10, model + ": the brown bar stays brown, mean rgb " + r / 160 + ", "
                    + g / 160 + ", " + b / 160);
        }
    }

    @Test
    void pencilIsGrayAndMostlyLight() throws Exception {
        byte[] out = run("style-pencil", 1.0, W, H, scene);
        assertTrue(TestImages.meanAbsDiff(scene, out) > 10, "output differs from input");
        long light = 0;
        double sum = 0;
        for (int i = 0; i < out.length; i += 3) {
            assertEquals(out[i], out[i + 1], "R = G");
            assertEquals(out[i], out[i + 2], "R = B");
            sum += u(out, i);
            if (u(out, i) > 180) {
                light++;
            }
        }
        int n = out.length / 3;
        assertTrue(sum / n > 170, "mostly light, mean " + sum / n);
        assertTrue(light > 0.6 * n, "light pixels " + light + " of " + n);
        // the sphere's outline is drawn: darker than the paper around it
        assertTrue(minLumaNear(out, (int) (0.28 * W - 0.17 * H), (int) (0.62 * H)) < 150, "outline drawn");
    }

    static double minLumaNear(byte[] px, int cx, int cy) {
        double m = 255;
        for (int y = cy - 4; y <= cy + 4; y++) {
            for (int x = cx - 4; x <= cx + 4; x++) {
                m = Math.min(m, TestImages.luma(px, W, x, y));
            }
        }
        return m;
    }

    @Test
    void paintSmoothsFlatNoiseAndKeepsEdges() throws Exception {
        byte[] e = TestImages.edge(W, H, 60, 190, 12, 5);
        byte[] out = run("style-paint", 1.0, W, H, e);
        double inStd = regionStd(e, 20, W / 2 - 30);
        double outStd = regionStd(out, 20, W / 2 - 30);
        assertTrue(outStd < 0.5 * inStd, "noise reduced in flat regions: " + outStd + " vs " + inStd);
        // the edge stays sharp: 2 px either side of it the two sides are still apart by most of the step
        double left = 0;
        double right = 0;
        for (int y = 20; y < H - 20; y++) {
            left += TestImages.luma(out, W, W / 2 - 3, y);
            right += TestImages.luma(out, W, W / 2 + 2, y);
        }
        double step = (right - left) / (H - 40);
        double stepIn = 190 - 60;
        assertTrue(step > 0.85 * stepIn * 1.0 || step > 0.85 * (luma(out, W * 3 / 4) - luma(out, W / 4)),
                "edge kept sharp: step " + step);
        assertTrue(TestImages.meanAbsDiff(scene, run("style-paint", 1.0, W, H, scene)) > 3, "output differs from input");
    }

    static double luma(byte[] px, int x) {
        double s = 0;
        for (int y = 20; y < H - 20; y++) {
            s += TestImages.luma(px, W, x, y);
        }
        return s / (H - 40);
    }

    static double regionStd(byte[] px, int x0, int x1) {
        double s = 0;
        double s2 = 0;
        int n = 0;
        for (int y = 20; y < H - 20; y++) {
            for (int x = x0; x < x1; x++) {
                double l = TestImages.luma(px, W, x, y);
                s += l;
                s2 += l * l;
                n++;
            }
        }
        double m = s / n;
        return Math.sqrt(s2 / n - m * m);
    }

    @Test
    void strengthZeroIsTheSourceAndHalfLiesBetween() throws Exception {
        for (String model : List.of("style-cartoon", "style-pencil", "style-paint")) {
            assertArrayEquals(scene, run(model, 0.0, W, H, scene), model + " at strength 0");
            byte[] full = run(model, 1.0, W, H, scene);
            byte[] half = run(model, 0.5, W, H, scene);
            int off = 0;
            for (int i = 0; i < scene.length; i++) {
                int a = u(scene, i);
                int b = u(full, i);
                int c = u(half, i);
                if (c < Math.min(a, b) - 1 || c > Math.max(a, b) + 1 || Math.abs(2 * c - a - b) > 2) {
                    off++;
                }
            }
            assertEquals(0, off, model + ": strength 0.5 is the midpoint of source and style");
            assertTrue(TestImages.meanAbsDiff(half, scene) > 1 && TestImages.meanAbsDiff(half, full) > 1, model);
        }
    }

    @Test
    void batchEqualsSingleCalls() throws Exception {
        byte[] a = TestImages.scene(W, H, 11);
        byte[] b = TestImages.edge(W, H, 30, 200, 10, 12);
        byte[] c = TestImages.scene(W, H, 13);
        for (String model : List.of("style-cartoon", "style-pencil", "style-paint")) {
            byte[] batch = run(model, 0.8, W, H, a, b, c);
            int frame = W * H * 3;
            byte[][] singles = {run(model, 0.8, W, H, a), run(model, 0.8, W, H, b), run(model, 0.8, W, H, c)};
            for (int f = 0; f < 3; f++) {
                int maxDiff = 0;
                for (int i = 0; i < frame; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(u(batch, f * frame + i) - u(singles[f], i)));
                }
                assertTrue(maxDiff <= 1, model + " frame " + f + " differs by " + maxDiff);
            }
        }
    }

    @Test
    void beforeAfterPictures() throws Exception {
        int w = 1280; // 720p: the reduced-resolution paths of the styles are exercised
        int h = 720;
        byte[] img = TestImages.scene(w, h, 21);
        for (String model : List.of("style-cartoon", "style-pencil", "style-paint")) {
            byte[] out = run(model, 1.0, w, h, img);
            Path p = TestImages.saveBeforeAfter(Path.of("target", model + "-before-after.png"), w, h, img, out);
            assertTrue(p.toFile().length() > 1000);
        }
    }
}

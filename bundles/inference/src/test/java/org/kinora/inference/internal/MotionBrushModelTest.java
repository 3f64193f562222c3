package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/**
 * The motion brush on the real engine, measured on its output: displacement inside a flowing region by block matching,
 * static pixels exact, the loop seam, no holes, a sway's sine, chunked calls equal one call, parameter errors.
 */
class MotionBrushModelTest {

    static final int W = 160;
    static final int H = 96;
    /** The flowing rectangle. */
    static final int RX0 = 40;
    static final int RX1 = 120;
    static final int RY0 = 24;
    static final int RY1 = 72;

    static InferenceServiceImpl service;
    static byte[] still;

    @BeforeAll
    static void start() {
        service = new InferenceServiceImpl();
        still = texture(W, H, 3);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** Random blobs on noise: strong texture everywhere, so block matching finds one clear shift. */
    static byte[] texture(int w, int h, long seed) {
        Random r = new Random(seed);
        double[][] img = new double[3][w * h];
        for (int b = 0; b < 60; b++) {
            double cx = r.nextDouble() * w;
            double cy = r.nextDouble() * h;
            double rad = 3 + r.nextDouble() * 8;
            double[] col = {r.nextDouble() * 255, r.nextDouble() * 255, r.nextDouble() * 255};
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double d = Math.hypot(x - cx, y - cy) / rad;
                    double a = Math.exp(-d * d);
                    for (int c = 0; c < 3; c++) {
                        img[c][y * w + x] = img[c][y * w + x] * (1 - a) + col[c] * a;
                    }
                }
            }
        }
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 3; c++) {
                px[i * 3 + c] = TestImages.clamp(40 + 0.7 * img[c][i] + r.nextGaussian() * 12);
            }
        }
        return px;
    }

    static Tensor floats(String name, int w, int h, int c, float[] data) {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        return new Tensor(name, TensorType.FP32, new long[] {1, h, w, c}, b);
    }

    static Tensor image(byte[] px, int w, int h) {
        return new Tensor("image", TensorType.UINT8, new long[] {1, h, w, 3}, ByteBuffer.wrap(px));
    }

    /** dx px/frame inside the rectangle, 0 outside. */
    static float[] rectFlow(float dx, float dy) {
        float[] f = new float[W * H * 2];
        for (int y = RY0; y < RY1; y++) {
            for (int x = RX0; x < RX1; x++) {
                f[(y * W + x) * 2] = dx;
                f[(y * W + x) * 2 + 1] = dy;
            }
        }
        return f;
    }

    static byte[][] render(byte[] px, int w, int h, float[] flow, float[] wave, Map<String, Object> params) throws Exception {
        return render(px, w, h, flow, wave, null, params);
    }

    /** Renders with a hold (freeze) mask ({@code w * h} floats in [0, 1]; null = none). */
    static byte[][] render(byte[] px, int w, int h, float[] flow, float[] wave, float[] hold, Map<String, Object> params)
            throws Exception {
        InferenceResult r = service.infer(new InferenceRequest("motion-brush", List.of(image(px, w, h),
                floats("flow", w, h, 2, flow), floats("wave", w, h, 4, wave == null ? new float[w * h * 4] : wave),
                floats("hold", w, h, 1, hold == null ? new float[w * h] : hold)),
                params, "motion-test", Priority.INTERACTIVE));
        Tensor out = r.output("frames").orElseThrow();
        long n = out.shape()[0];
        assertArrayEquals(new long[] {n, h, w, 3}, out.shape());
        byte[] all = TestImages.bytes(out);
        byte[][] frames = new byte[(int) n][];
        for (int i = 0; i < n; i++) {
            frames[i] = java.util.Arrays.copyOfRange(all, i * w * h * 3, (i + 1) * w * h * 3);
        }
        return frames;
    }

    static Map<String, Object> params(long total, long start, long count, boolean loop) {
        Map<String, Object> p = new HashMap<>();
        p.put("total", total);
        p.put("start", start);
        p.put("count", count);
        p.put("loop", loop);
        return p;
    }

    /**
     * Shift (sx, sy) that content of {@code a} in the block at (x0, y0, size) moved by in {@code b}: the integer shift minimizing
     * the sum of absolute differences of a(x) and b(x + s), refined to sub-pixel by a parabola through its neighbours.
     */
    static double[] shift(byte[] a, byte[] b, int w, int x0, int y0, int bw, int bh, int range) {
        double best = Double.MAX_VALUE;
        int bx = 0;
        int by = 0;
        double[][] cost = new double[2 * range + 1][2 * range + 1];
        for (int sy = -range; sy <= range; sy++) {
            for (int sx = -range; sx <= range; sx++) {
                double s = 0;
                for (int y = y0; y < y0 + bh; y++) {
                    for (int x = x0; x < x0 + bw; x++) {
                        s += Math.abs(TestImages.luma(a, w, x, y) - TestImages.luma(b, w, x + sx, y + sy));
                    }
                }
                cost[sy + range][sx + range] = s;
                if (s < best) {
                    best = s;
                    bx = sx;
                    by = sy;
                }
            }
        }
        return new double[] {bx + parabola(cost, bx + range, by + range, true), by + parabola(cost, bx + range, by + range, false)};
    }

    private static double parabola(double[][] c, int ix, int iy, boolean alongX) {
        int n = c.length;
        if (alongX ? ix == 0 || ix == n - 1 : iy == 0 || iy == n - 1) {
            return 0;
        }
        double l = alongX ? c[iy][ix - 1] : c[iy - 1][ix];
        double m = c[iy][ix];
        double r = alongX ? c[iy][ix + 1] : c[iy + 1][ix];
        double d = l - 2 * m + r;
        return d <= 0 ? 0 : 0.5 * (l - r) / d;
    }

    static double meanAbs(byte[] a, byte[] b) {
        return TestImages.meanAbsDiff(a, b);
    }

    @Test
    void uniformFlowMovesTwoPixelsPerFrameAndTheRestStaysStill() throws Exception {
        byte[][] f = render(still, W, H, rectFlow(2f, 0f), null, params(12, 0, 12, false));
        // away from the region's borders: the block [60, 84) x [36, 60) and a shift search of +-4 px per step
        for (int t = 0; t + 1 < f.length; t += 3) {
            double[] s = shift(f[t], f[t + 1], W, 64, 36, 24, 24, 4);
            System.out.printf("flow: frame %d -> %d shift (%.3f, %.3f) px%n", t, t + 1, s[0], s[1]);
            assertEquals(2.0, s[0], 0.15, "dx per frame at t=" + t);
            assertEquals(0.0, s[1], 0.15, "dy per frame at t=" + t);
        }
        // over 8 frames from the still: 16 px
        double[] s8 = shift(still, f[8], W, 64, 36, 20, 24, 18);
        System.out.printf("flow: still -> frame 8 shift (%.3f, %.3f) px (want 16, 0)%n", s8[0], s8[1]);
        assertEquals(16.0, s8[0], 0.3);
        assertEquals(0.0, s8[1], 0.3);
        assertArrayEquals(still, f[0], "frame 0 (t = 0) is the still");
        // static pixels (flow 0 outside the rectangle) are the still in every frame
        int differing = 0;
        for (byte[] frame : f) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    if (x >= RX0 && x < RX1 && y >= RY0 && y < RY1) {
                        continue;
                    }
                    int i = (y * W + x) * 3;
                    for (int c = 0; c < 3; c++) {
                        differing += frame[i + c] != still[i + c] ? 1 : 0;
                    }
                }
            }
        }
        assertEquals(0, differing, "static samples differing from the still");
    }

    @Test
    void loopStartsAtTheStillAndWrapsWithoutAJump() throws Exception {
        int n = 24;
        byte[][] f = render(still, W, H, rectFlow(1.5f, 0.5f), null, params(n, 0, n, true));
        assertEquals(n, f.length);
        double frame0 = meanAbs(f[0], still);
        System.out.printf("loop: frame 0 vs still %.4f%n", frame0);
        assertEquals(0.0, frame0, 0.01, "frame 0 of a loop is the still");
        double sum = 0;
        double max = 0;
        for (int t = 0; t + 1 < n; t++) {
            double d = meanAbs(f[t], f[t + 1]);
            sum += d;
            max = Math.max(max, d);
        }
        double typical = sum / (n - 1);
        double seam = meanAbs(f[n - 1], f[0]);
        System.out.printf("loop: typical step %.3f, largest step %.3f, seam (last -> first) %.3f (mean abs difference, 0..255)%n",
                typical, max, seam);
        assertTrue(typical > 0.5, "the loop moves: " + typical);
        assertTrue(seam <= max * 1.05, "seam " + seam + " no larger than the largest step " + max);
        assertTrue(seam <= typical * 1.5, "seam " + seam + " about a typical step " + typical);
    }

    @Test
    void divergentFlowLeavesNoHoles() throws Exception {
        // a radial field (zoom out from the centre, up to 3 px/frame): stretches the picture, so splats alone leave gaps
        float[] flow = new float[W * H * 2];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                flow[(y * W + x) * 2] = (x - W / 2f) / (W / 2f) * 3f;
                flow[(y * W + x) * 2 + 1] = (y - H / 2f) / (H / 2f) * 3f;
            }
        }
        byte[] black = new byte[W * H * 3];
        java.util.Arrays.fill(black, (byte) 200);
        for (int i = 0; i < black.length; i += 6) {
            black[i] = (byte) 190;
        }
        byte[][] f = render(black, W, H, flow, null, params(20, 0, 20, false));
        int dark = 0;
        for (byte[] frame : f) {
            for (byte v : frame) {
                dark += (v & 0xff) < 150 ? 1 : 0;
            }
        }
        System.out.printf("holes: %d samples darker than 150 in %d frames of a picture of 190..200%n", dark, f.length);
        assertEquals(0, dark, "no hole: every pixel gets the picture's colour");
        // and on texture: neighbours stay close (no isolated pixels left at 0)
        byte[][] g = render(still, W, H, flow, null, params(20, 19, 1, false));
        int zeros = 0;
        for (int i = 0; i < g[0].length; i += 3) {
            zeros += (g[0][i] == 0 && g[0][i + 1] == 0 && g[0][i + 2] == 0) ? 1 : 0;
        }
        assertEquals(0, zeros, "black (unwritten) pixels in frame 19");
    }

    @Test
    void swayMovesBySine() throws Exception {
        float a = 3f;
        float period = 16f;
        float[] wave = new float[W * H * 4];
        for (int y = RY0; y < RY1; y++) {
            for (int x = RX0; x < RX1; x++) {
                int i = (y * W + x) * 4;
                wave[i] = a;
                wave[i + 3] = period;
            }
        }
        byte[][] f = render(still, W, H, new float[W * H * 2], wave, params(16, 0, 16, true));
        for (int t : new int[] {2, 4, 6, 12}) {
            double want = a * Math.sin(2 * Math.PI * t / period);
            double[] s = shift(still, f[t], W, 64, 36, 24, 24, 5);
            System.out.printf("sway: t=%d shift %.3f px, want %.3f%n", t, s[0], want);
            assertEquals(want, s[0], 0.25, "sway displacement at t=" + t);
            assertEquals(0.0, s[1], 0.25);
        }
    }

    @Test
    void chunksEqualOneCall() throws Exception {
        float[] flow = rectFlow(1.25f, -0.75f);
        for (boolean loop : new boolean[] {true, false}) {
            byte[][] whole = render(still, W, H, flow, null, params(20, 0, 20, loop));
            int t = 0;
            for (int count : new int[] {8, 8, 4}) {
                byte[][] part = render(still, W, H, flow, null, params(20, t, count, loop));
                for (int i = 0; i < count; i++) {
                    assertArrayEquals(whole[t + i], part[i], "loop=" + loop + " frame " + (t + i) + " of chunk at " + t);
                }
                t += count;
            }
        }
    }

    /**
     * The loaded model keeps the last render's preparation between calls: a call with other fields must not reuse it, and
     * calls that reuse it give what one call gives.
     */
    @Test
    void cachedPreparationFollowsTheInputs() throws Exception {
        float[] a = rectFlow(1.25f, -0.75f);
        float[] b = rectFlow(-0.5f, 1f);
        byte[][] a1 = render(still, W, H, a, null, params(12, 4, 4, true));
        byte[][] b1 = render(still, W, H, b, null, params(12, 4, 4, true));
        byte[][] a2 = render(still, W, H, a, null, params(12, 4, 4, true));
        byte[][] bWhole = render(still, W, H, b, null, params(12, 0, 12, true));
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(a1[i], a2[i], "flow a, frame " + (4 + i) + ", before and after flow b");
            assertArrayEquals(bWhole[4 + i], b1[i], "flow b, frame " + (4 + i) + ": chunk vs whole");
            assertTrue(meanAbs(a1[i], b1[i]) > 1, "flows a and b render differently at frame " + (4 + i));
        }
        // the hold is an input too: the same flow with a hold must not reuse the preparation made without one
        float[] wide = rectFlow(2f, 0f);
        byte[][] h0 = render(still, W, H, wide, null, null, params(12, 4, 4, true));
        byte[][] h1 = render(still, W, H, wide, null, boxHold(), params(12, 4, 4, true));
        byte[][] h1Whole = render(still, W, H, wide, null, boxHold(), params(12, 0, 12, true));
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(h1Whole[4 + i], h1[i], "held, frame " + (4 + i) + ": chunk vs whole");
            assertTrue(meanAbs(h0[i], h1[i]) > 0.5, "with and without the hold render differently at frame " + (4 + i));
        }
    }

    /** The held box of the hold tests: [HX0, HX1) x [HY0, HY1), hold 1 inside, ramping to 0 over FEATHER px outside. */
    static final int HX0 = 70;
    static final int HX1 = 100;
    static final int HY0 = 30;
    static final int HY1 = 66;
    static final int FEATHER = 3;

    /** The hold mask of the held box: 1 inside, falling linearly to 0 at FEATHER px outside (Chebyshev distance). */
    static float[] boxHold() {
        float[] hold = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int d = Math.max(Math.max(HX0 - x, x - (HX1 - 1)), Math.max(HY0 - y, y - (HY1 - 1)));
                hold[y * W + x] = d <= 0 ? 1f : Math.max(0f, 1f - d / (float) (FEATHER + 1));
            }
        }
        return hold;
    }

    /** The texture with a bright disc of radius 8 at (55, 48), left of the held box, in the flowing band. */
    static byte[] stillWithDisc() {
        byte[] px = still.clone();
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (Math.hypot(x + 0.5 - 55, y + 0.5 - 48) <= 8) {
                    px[(y * W + x) * 3] = (byte) 250;
                    px[(y * W + x) * 3 + 1] = (byte) 240;
                    px[(y * W + x) * 3 + 2] = (byte) 40;
                }
            }
        }
        return px;
    }

    /** Centre of the disc's colour (R > 200, G > 190, B < 90) in a frame, weighted by how yellow it is. */
    static double[] discCentre(byte[] f) {
        double sum = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < W * H; i++) {
            int r = f[i * 3] & 0xff;
            int g = f[i * 3 + 1] & 0xff;
            int b = f[i * 3 + 2] & 0xff;
            if (r > 200 && g > 190 && b < 90) {
                double wgt = (r + g) / 2.0 - b;
                sum += wgt;
                sx += wgt * (i % W + 0.5);
                sy += wgt * (i / W + 0.5);
            }
        }
        return new double[] {sx / sum, sy / sum};
    }

    /**
     * A held box inside a flowing band (the freeze mask): the flow runs on under it, and the still is composited over
     * the animated frame where it is held. A disc drifts at 1.5 px/frame into and out of the box: held pixels are the
     * still in every frame, unheld ones are the render without the box, and beside the box on the side the motion leaves
     * it, the content moves at the requested speed (zeroing the flow in the box instead, as static brushes once did,
     * makes it pile up and stretch there, and this measure catches it).
     */
    @Test
    void heldBoxShowsTheStillWhileTheFlowRunsOnAroundIt() throws Exception {
        float speed = 1.5f;
        float[] flow = new float[W * H * 2];
        for (int y = 20; y < 76; y++) {
            for (int x = 0; x < W; x++) {
                flow[(y * W + x) * 2] = speed;
            }
        }
        float[] hold = boxHold();
        byte[] px = stillWithDisc();
        int n = 40;
        for (boolean loop : new boolean[] {false, true}) {
            byte[][] held = render(px, W, H, flow, null, hold, params(n, 0, n, loop));
            byte[][] free = render(px, W, H, flow, null, null, params(n, 0, n, loop));
            int insideDiffer = 0;
            int outsideDiffer = 0;
            int featherDiffer = 0;
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < W * H; i++) {
                    for (int c = 0; c < 3; c++) {
                        int k = i * 3 + c;
                        if (hold[i] >= 1f && held[t][k] != px[k]) {
                            insideDiffer++;
                        } else if (hold[i] <= 0f && held[t][k] != free[t][k]) {
                            outsideDiffer++;
                        } else if (hold[i] > 0f && hold[i] < 1f && held[t][k] != free[t][k]) {
                            featherDiffer++;
                        }
                    }
                }
            }
            System.out.printf("hold loop=%s: %d held values differ from the still, %d unheld from the no-box render, %d in the "
                    + "feather%n", loop, insideDiffer, outsideDiffer, featherDiffer);
            assertEquals(0, insideDiffer, "loop=" + loop + ": held pixels are the still in every frame");
            assertEquals(0, outsideDiffer, "loop=" + loop + ": unheld pixels are the render without the box");
            assertTrue(featherDiffer > 0, "loop=" + loop + ": the feather blends (the hold did something)");
            // the disc crossed the box: at the end it is beside it on the right, at the speed asked for
            double[] c = discCentre(held[n - 1]);
            // a loop's last frame leads back into the first, so only the run-on clip has the disc beyond the box at the end
            System.out.printf("hold loop=%s: disc at (%.2f, %.2f) in frame %d (run on: want %.1f, 48, across the box)%n", loop,
                    c[0], c[1], n - 1, 55 + speed * (n - 1));
            if (!loop) {
                assertEquals(55 + speed * (n - 1), c[0], 0.5, "the disc comes out of the box on time");
                assertEquals(48, c[1], 0.5);
            }
        }
        // on the side the motion leaves the box, just beyond its feather: a block of width 16
        int bx = HX1 + FEATHER + 1;
        float[] zeroed = flow.clone();
        for (int i = 0; i < W * H; i++) {
            zeroed[2 * i] *= 1f - hold[i];
        }
        byte[][] held = render(px, W, H, flow, null, hold, params(n, 0, n, false));
        byte[][] stopped = render(px, W, H, zeroed, null, null, params(n, 0, n, false));
        double worstHeld = 0;
        double worstStopped = 0;
        for (int t = 2; t + 1 < n; t += 4) {
            double[] a = shift(held[t], held[t + 1], W, bx, HY0 + 4, 16, HY1 - HY0 - 8, 4);
            double[] b = shift(stopped[t], stopped[t + 1], W, bx, HY0 + 4, 16, HY1 - HY0 - 8, 4);
            System.out.printf("exit side, frame %d -> %d: held (%.3f, %.3f), flow zeroed in the box (%.3f, %.3f) px (want %.1f)%n",
                    t, t + 1, a[0], a[1], b[0], b[1], speed);
            worstHeld = Math.max(worstHeld, Math.hypot(a[0] - speed, a[1]));
            worstStopped = Math.max(worstStopped, Math.hypot(b[0] - speed, b[1]));
        }
        System.out.printf("exit side: worst speed error held %.3f px/frame, flow zeroed %.3f px/frame%n", worstHeld, worstStopped);
        assertTrue(worstHeld < 0.15, "held box: content leaving it moves at the requested speed, worst error " + worstHeld);
        // how far beside the box (right of it, in its rows) a render differs from the one without the box by more than 10
        byte[][] free = render(px, W, H, flow, null, null, params(n, 0, n, false));
        int reachHeld = 0;
        int reachStopped = 0;
        for (int t = 0; t < n; t++) {
            for (int y = HY0; y < HY1; y++) {
                for (int x = HX1; x < W; x++) {
                    double f = TestImages.luma(free[t], W, x, y);
                    if (Math.abs(TestImages.luma(held[t], W, x, y) - f) > 10) {
                        reachHeld = Math.max(reachHeld, x - HX1 + 1);
                    }
                    if (Math.abs(TestImages.luma(stopped[t], W, x, y) - f) > 10) {
                        reachStopped = Math.max(reachStopped, x - HX1 + 1);
                    }
                }
            }
        }
        System.out.printf("exit side: differs from the no-box render up to %d px beside the box when held, %d px with the flow "
                + "zeroed (feather %d px)%n", reachHeld, reachStopped, FEATHER);
        assertTrue(reachHeld <= FEATHER, "held: beside the box only the feather differs from the no-box render, " + reachHeld + " px");
        assertTrue(reachStopped > 3 * FEATHER, "zeroed flow (the old way) drags the box's edge out further, " + reachStopped + " px");
    }

    /** A zoom-out field from the centre, up to 3 px/frame. */
    static float[] radialFlow() {
        float[] flow = new float[W * H * 2];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                flow[(y * W + x) * 2] = (x - W / 2f) / (W / 2f) * 3f;
                flow[(y * W + x) * 2 + 1] = (y - H / 2f) / (H / 2f) * 3f;
            }
        }
        return flow;
    }

    /**
     * The composed anchor maps (EulerMaps) against plain Euler stepping on the fields of these tests: positions after
     * n = 1..40 steps forward and backward, and the rendered frames of a 40-frame loop.
     */
    @Test
    void composedMapsStayCloseToStepping() throws Exception {
        Map<String, float[]> fields = new java.util.LinkedHashMap<>();
        fields.put("rect (1.25, -0.75)", rectFlow(1.25f, -0.75f));
        fields.put("rect (1.5, 0.5)", rectFlow(1.5f, 0.5f));
        fields.put("rect (2, 0)", rectFlow(2f, 0f));
        fields.put("radial <= 3", radialFlow());
        int n = 40;
        for (Map.Entry<String, float[]> e : fields.entrySet()) {
            double[] r = Djl.call(() -> {
                try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Djl.ENGINE)) {
                    ai.djl.ndarray.NDArray flow = TensorCodec.toNDArray(m, floats("flow", W, H, 2, e.getValue())).reshape(W * H, 2);
                    ai.djl.ndarray.NDArray moving = flow.abs().sum(new int[] {1}).gt(0f).nonzero().reshape(-1);
                    ai.djl.ndarray.NDArray x = moving.mod(W);
                    ai.djl.ndarray.NDArray y = moving.sub(x).div(W);
                    ai.djl.ndarray.NDArray home = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(
                            x.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(-1, 1),
                            y.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).reshape(-1, 1)), 1);
                    Field field = Field.of(flow, H, W);
                    double maxPos = 0;
                    double sumPos = 0;
                    long count = 0;
                    for (float sign : new float[] {1f, -1f}) {
                        EulerMaps composed = new EulerMaps(m, field, moving, home, sign, EulerMaps.ANCHOR);
                        EulerMaps stepped = new EulerMaps(m, field, moving, home, sign, Integer.MAX_VALUE);
                        ai.djl.ndarray.NDArray p = home.duplicate();
                        for (int k = 1; k <= n; k++) {
                            p = stepped.step(p);
                            ai.djl.ndarray.NDArray d = composed.at(k, m, RunControl.NONE).sub(p).pow(2).sum(new int[] {1}).sqrt();
                            maxPos = Math.max(maxPos, d.max().getFloat());
                            sumPos += d.sum().getFloat();
                            count += d.size();
                        }
                    }
                    ai.djl.ndarray.NDList in = new ai.djl.ndarray.NDList(TensorCodec.toNDArray(m, image(still, W, H)),
                            TensorCodec.toNDArray(m, floats("flow", W, H, 2, e.getValue())),
                            TensorCodec.toNDArray(m, floats("wave", W, H, 4, new float[W * H * 4])),
                            TensorCodec.toNDArray(m, floats("hold", W, H, 1, new float[W * H])));
                    ai.djl.ndarray.NDArray a = new MotionBrushModel().run(m, in, params(n, 0, n, true), RunControl.NONE).get(0);
                    ai.djl.ndarray.NDArray b = new MotionBrushModel(Integer.MAX_VALUE).run(m, in, params(n, 0, n, true), RunControl.NONE)
                            .get(0);
                    ai.djl.ndarray.NDArray diff = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                            .sub(b.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)).abs();
                    return new double[] {maxPos, sumPos / count, diff.max().getFloat(), diff.mean().getFloat()};
                }
            });
            System.out.printf("composed vs stepped, %s: positions max %.4f px, mean %.5f px; frames max %.0f, mean %.4f (0..255)%n",
                    e.getKey(), r[0], r[1], r[2], r[3]);
            assertTrue(r[0] < 0.5, "max position error " + r[0]);
            assertTrue(r[1] < 0.01, "mean position error " + r[1]);
            assertTrue(r[3] < 0.1, "mean frame difference " + r[3]);
        }
    }

    @Test
    void parametersAreValidated() {
        float[] flow = new float[W * H * 2];
        assertError(params(0, 0, 1, true), "'total'");
        assertError(params(10, 10, 1, true), "'start'");
        assertError(params(10, -1, 1, true), "'start'");
        assertError(params(10, 4, 7, true), "'count'");
        assertError(params(10, 0, 0, true), "'count'");
        Map<String, Object> p = params(10, 0, 1, true);
        p.put("loop", "maybe");
        assertError(p, "'loop'");
        p = params(10, 0, 1, true);
        p.put("total", 2.5);
        assertError(p, "'total'");
        p = params(10, 0, 1, true);
        p.remove("total");
        assertError(p, "'total'");
        p = params(10, 0, 1, true);
        p.put("crossfade", 0);
        assertError(p, "'crossfade'");
        p = params(10, 0, 1, true);
        p.put("crossfade", 1.5);
        assertError(p, "'crossfade'");
        p = params(10, 0, 1, true);
        p.put("speed", 2);
        assertError(p, "'speed'");
        float[] bad = new float[W * H * 2];
        bad[7] = Float.NaN;
        InvalidInferenceRequestException e = failure(new InferenceRequest("motion-brush", List.of(image(still, W, H),
                floats("flow", W, H, 2, bad), floats("wave", W, H, 4, new float[W * H * 4]), noHold()), params(4, 0, 1, true), "t", Priority.BATCH));
        assertTrue(e.getMessage().contains("'flow'"), e.getMessage());
        e = failure(new InferenceRequest("motion-brush", List.of(image(still, W, H),
                floats("flow", W - 1, H, 2, new float[(W - 1) * H * 2]), floats("wave", W, H, 4, new float[W * H * 4]), noHold()),
                params(4, 0, 1, true), "t", Priority.BATCH));
        assertTrue(e.getMessage().contains("'flow'") && e.getMessage().contains("size"), e.getMessage());
        float[] over = new float[W * H];
        over[3] = 1.5f;
        e = failure(new InferenceRequest("motion-brush", List.of(image(still, W, H), floats("flow", W, H, 2, new float[W * H * 2]),
                floats("wave", W, H, 4, new float[W * H * 4]), floats("hold", W, H, 1, over)), params(4, 0, 1, true), "t", Priority.BATCH));
        assertTrue(e.getMessage().contains("'hold'") && e.getMessage().contains("[0, 1]"), e.getMessage());
        assertEquals(0, flow[0]);
    }

    private static void assertError(Map<String, Object> p, String names) {
        InvalidInferenceRequestException e = failure(new InferenceRequest("motion-brush", List.of(image(still, W, H),
                floats("flow", W, H, 2, new float[W * H * 2]), floats("wave", W, H, 4, new float[W * H * 4]), noHold()), p, "t",
                Priority.BATCH));
        System.out.println("error: " + e.getMessage());
        assertTrue(e.getMessage().contains(names) && e.getMessage().contains("motion-brush"), e.getMessage());
    }

    private static Tensor noHold() {
        return floats("hold", W, H, 1, new float[W * H]);
    }

    private static InvalidInferenceRequestException failure(InferenceRequest r) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> service.submit(r).get(60, TimeUnit.SECONDS));
        return assertInstanceOf(InvalidInferenceRequestException.class, e.getCause());
    }
}

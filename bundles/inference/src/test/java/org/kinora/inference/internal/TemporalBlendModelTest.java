package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/**
 * The temporal blend on the real engine: a picture moved by a known amount with the matching flow is blended onto the
 * current frame; inconsistent flow, a region that does not round-trip and a different source keep the current frame.
 * The warped inputs are made here as the effect makes them with OpenCV: bilinear samples at x + backward(x), positions
 * clamped to the picture.
 */
class TemporalBlendModelTest {

    static final int W = 96;
    static final int H = 64;
    /** The motion from the previous frame to the current one. */
    static final int SX = 3;
    static final int SY = -2;

    static InferenceServiceImpl service;

    @BeforeAll
    static void start() {
        service = new InferenceServiceImpl();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** Smooth random colours (a few blurred blobs): bilinear sampling of it is close to its neighbours. */
    static int[] picture(long seed) {
        Random r = new Random(seed);
        int[] px = new int[W * H * 3];
        double[][] blobs = new double[24][6];
        for (double[] b : blobs) {
            b[0] = r.nextDouble() * W;
            b[1] = r.nextDouble() * H;
            b[2] = 4 + r.nextDouble() * 10;
            b[3] = r.nextDouble() * 255;
            b[4] = r.nextDouble() * 255;
            b[5] = r.nextDouble() * 255;
        }
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double[] c = {40, 60, 80};
                for (double[] b : blobs) {
                    double g = Math.exp(-((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / (2 * b[2] * b[2]));
                    for (int k = 0; k < 3; k++) {
                        c[k] = c[k] * (1 - g) + b[3 + k] * g;
                    }
                }
                for (int k = 0; k < 3; k++) {
                    px[(y * W + x) * 3 + k] = (int) Math.round(c[k]);
                }
            }
        }
        return px;
    }

    /**
     * A source picture: smooth colours plus a fine pattern everywhere, so that a moved copy differs from the unmoved
     * one at every pixel (else the model rightly takes flat pixels as still).
     */
    static int[] source(long seed) {
        int[] p = picture(seed);
        Random r = new Random(seed + 100);
        for (int i = 0; i < p.length; i += 3) {
            int v = r.nextInt(41) - 20;
            for (int k = 0; k < 3; k++) {
                p[i + k] = Math.max(0, Math.min(255, p[i + k] + v));
            }
        }
        return p;
    }

    /** {@code p} moved by (sx, sy): out(x) = p(x - s), edges replicated. */
    static int[] moved(int[] p, int sx, int sy) {
        int[] out = new int[p.length];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int fx = Math.max(0, Math.min(W - 1, x - sx));
                int fy = Math.max(0, Math.min(H - 1, y - sy));
                System.arraycopy(p, (fy * W + fx) * 3, out, (y * W + x) * 3, 3);
            }
        }
        return out;
    }

    static Tensor rgb(String name, int[] px) {
        byte[] b = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            b[i] = (byte) px[i];
        }
        return new Tensor(name, TensorType.UINT8, new long[] {1, H, W, 3}, ByteBuffer.wrap(b));
    }

    /** A flow tensor: (dx, dy) per pixel from {@code f}. */
    static Tensor flow(String name, FlowAt f) {
        ByteBuffer b = ByteBuffer.allocate(W * H * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float[] d = f.at(x, y);
                b.putFloat(d[0]).putFloat(d[1]);
            }
        }
        return new Tensor(name, TensorType.FP32, new long[] {1, H, W, 2}, b.flip());
    }

    interface FlowAt {
        float[] at(int x, int y);
    }

    /** {@code c} channels per pixel sampled bilinearly at x + back(x), positions clamped to the picture. */
    static double[] sample(double[] p, int c, FlowAt back) {
        double[] out = new double[W * H * c];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float[] d = back.at(x, y);
                double qx = Math.max(0, Math.min(W - 1, x + d[0]));
                double qy = Math.max(0, Math.min(H - 1, y + d[1]));
                int x0 = (int) Math.floor(qx);
                int y0 = (int) Math.floor(qy);
                int x1 = Math.min(W - 1, x0 + 1);
                int y1 = Math.min(H - 1, y0 + 1);
                double ax = qx - x0;
                double ay = qy - y0;
                for (int k = 0; k < c; k++) {
                    out[(y * W + x) * c + k] = (1 - ay) * ((1 - ax) * p[(y0 * W + x0) * c + k] + ax * p[(y0 * W + x1) * c + k])
                            + ay * ((1 - ax) * p[(y1 * W + x0) * c + k] + ax * p[(y1 * W + x1) * c + k]);
                }
            }
        }
        return out;
    }

    /** A picture warped along the backward flow (rounded to whole levels). */
    static int[] warped(int[] p, FlowAt back) {
        double[] s = sample(java.util.Arrays.stream(p).asDoubleStream().toArray(), 3, back);
        return java.util.Arrays.stream(s).mapToInt(v -> (int) Math.round(v)).toArray();
    }

    /** The forward flow (on the previous grid) warped along the backward flow, as a tensor. */
    static Tensor warpedForward(FlowAt forward, FlowAt back) {
        double[] f = new double[W * H * 2];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                float[] d = forward.at(x, y);
                f[(y * W + x) * 2] = d[0];
                f[(y * W + x) * 2 + 1] = d[1];
            }
        }
        double[] s = sample(f, 2, back);
        return flow("warped_forward", (x, y) -> new float[] {(float) s[(y * W + x) * 2], (float) s[(y * W + x) * 2 + 1]});
    }

    /** The model's inputs for these frames and flows, the warped ones made here. */
    static List<Tensor> inputs(int[] stylized, int[] previous, int[] source, int[] previousSource, FlowAt backward,
            FlowAt forward) {
        return List.of(rgb("stylized", stylized), rgb("previous", previous), rgb("warped_previous", warped(previous, backward)),
                rgb("source", source), rgb("previous_source", previousSource),
                rgb("warped_previous_source", warped(previousSource, backward)), flow("backward", backward),
                warpedForward(forward, backward));
    }

    static int[] run(List<Tensor> inputs) throws Exception {
        Tensor t = service.submit(new InferenceRequest(TemporalBlendModel.ID, inputs, Map.of(), null, Priority.INTERACTIVE))
                .get(60, TimeUnit.SECONDS).output("frames").orElseThrow();
        assertArrayEquals(new long[] {1, H, W, 3}, t.shape());
        assertEquals(TensorType.UINT8, t.type());
        ByteBuffer d = t.data();
        int[] out = new int[W * H * 3];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.get(i) & 0xff;
        }
        return out;
    }

    static final int[] GRAY = gray();

    static int[] gray() {
        int[] g = new int[W * H * 3];
        Arrays.fill(g, 128);
        return g;
    }

    /**
     * Previous output P, sources moved by s, matching flows, current per-frame result flat gray: the output is gray +
     * WEIGHT * (warped P - gray), so the warped previous frame is read back from it and must be P moved by s.
     */
    @Test
    void blendsTheWarpedPreviousOutputOntoTheCurrentFrame() throws Exception {
        int[] prevOut = picture(1);
        int[] prevSrc = source(2);
        int[] out = run(inputs(GRAY, prevOut, moved(prevSrc, SX, SY), prevSrc, (x, y) -> new float[] {-SX, -SY},
                (x, y) -> new float[] {SX, SY}));
        int[] want = moved(prevOut, SX, SY);
        double worst = 0;
        for (int y = 4; y < H - 4; y++) {
            for (int x = 4; x < W - 4; x++) {
                for (int k = 0; k < 3; k++) {
                    int i = (y * W + x) * 3 + k;
                    double warped = 128 + (out[i] - 128) / TemporalBlendModel.WEIGHT;
                    worst = Math.max(worst, Math.abs(warped - want[i]));
                }
            }
        }
        // the output is rounded to whole levels, which the division by WEIGHT enlarges to 0.5 / 0.7
        assertTrue(worst <= 1.0, "warped previous output differs from the moved picture by up to " + worst);
    }

    /** A backward flow the forward flow does not undo is unreliable everywhere: the current frame as it is (a cut). */
    @Test
    void inconsistentFlowKeepsTheCurrentFrame() throws Exception {
        int[] prevSrc = source(2);
        int[] stylized = picture(3);
        int[] out = run(inputs(stylized, picture(1), moved(prevSrc, SX, SY), prevSrc, (x, y) -> new float[] {-SX, -SY},
                (x, y) -> new float[] {0, 0}));
        assertArrayEquals(stylized, out);
    }

    /**
     * Where the flow does not round-trip (the right third: an occlusion), the current frame is kept exactly; the rest is
     * blended.
     */
    @Test
    void occludedRegionKeepsTheCurrentFrame() throws Exception {
        int[] prevSrc = source(2);
        int[] stylized = picture(3);
        int[] prevOut = picture(1);
        int edge = 2 * W / 3;
        // forward flow on the previous grid; pixels of the current right third land at x - SX there
        int[] out = run(inputs(stylized, prevOut, moved(prevSrc, SX, SY), prevSrc, (x, y) -> new float[] {-SX, -SY},
                (x, y) -> x < edge - SX - 2 ? new float[] {SX, SY} : new float[] {-8, 5}));
        int[] want = moved(prevOut, SX, SY);
        long blended = 0;
        for (int y = 4; y < H - 4; y++) {
            for (int x = 4; x < W - 4; x++) {
                for (int k = 0; k < 3; k++) {
                    int i = (y * W + x) * 3 + k;
                    if (x >= edge) {
                        assertEquals(stylized[i], out[i], "occluded pixel " + x + "," + y);
                    } else if (x < edge - 4) {
                        double expected = stylized[i] + TemporalBlendModel.WEIGHT * (want[i] - stylized[i]);
                        assertEquals(expected, out[i], 1.0, "blended pixel " + x + "," + y);
                        blended++;
                    }
                }
            }
        }
        assertTrue(blended > 0);
    }

    /**
     * A still source with sub-pixel flow noise (as DIS leaves on static regions): the previous output is taken unwarped,
     * so its hard edges are not shifted.
     */
    @Test
    void aStillSourceUsesThePreviousOutputUnwarped() throws Exception {
        int[] src = source(2);
        int[] stylized = picture(3);
        int[] prevOut = new int[W * H * 3];
        for (int i = 0; i < prevOut.length; i++) {
            prevOut[i] = ((i / 3) % W / 4) % 2 == 0 ? 20 : 230; // vertical stripes 4 px wide: any shift shows
        }
        Random r = new Random(9);
        float[][] noise = new float[W * H][];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = new float[] {(float) (r.nextDouble() - 0.5) * 0.8f, (float) (r.nextDouble() - 0.5) * 0.8f};
        }
        int[] out = run(inputs(stylized, prevOut, src, src, (x, y) -> noise[y * W + x],
                (x, y) -> new float[] {-noise[y * W + x][0], -noise[y * W + x][1]}));
        for (int i = 0; i < out.length; i++) {
            double expected = stylized[i] + TemporalBlendModel.WEIGHT * (prevOut[i] - stylized[i]);
            assertEquals(expected, out[i], 1.0, "pixel " + i / 3);
        }
    }

    /** Consistent flow but a different source (a new shot): the photometric check rejects it, the current frame stays. */
    @Test
    void aDifferentSourceKeepsTheCurrentFrame() throws Exception {
        int[] stylized = picture(3);
        int[] out = run(inputs(stylized, picture(1), source(7), source(2), (x, y) -> new float[] {0, 0},
                (x, y) -> new float[] {0, 0}));
        assertArrayEquals(stylized, out);
    }

    /** The model's box mean (shifted views) equals the running-sum box filter of ImageOps, borders included. */
    @Test
    void boxMeanMatchesTheRunningSumBox() throws Exception {
        Djl.call(() -> {
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Djl.ENGINE)) {
                ai.djl.ndarray.NDArray x = m.randomUniform(0f, 255f, new ai.djl.ndarray.types.Shape(2, 17, 23));
                ai.djl.ndarray.NDArray want = ImageOps.box(x.expandDims(0), TemporalBlendModel.ERROR_RADIUS).squeeze(0);
                ai.djl.ndarray.NDArray got = TemporalBlendModel.boxMean(x, TemporalBlendModel.ERROR_RADIUS);
                assertEquals(want.getShape(), got.getShape());
                float worst = got.sub(want).abs().max().getFloat();
                assertTrue(worst < 1e-3f, "box means differ by up to " + worst);
            }
            return null;
        });
    }

    /** Non-finite flow values are rejected with the input's name. */
    @Test
    void nonFiniteFlowIsRejected() {
        int[] p = picture(1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(inputs(p, p, p, p,
                (x, y) -> new float[] {0, 0}, (x, y) -> x == 5 && y == 7 ? new float[] {Float.POSITIVE_INFINITY, 0} : new float[2])));
        assertInstanceOf(InvalidInferenceRequestException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("'warped_forward'"), e.getCause().getMessage());
    }

    @Test
    void inputsOfAnotherSizeAreRejected() {
        int[] p = picture(1);
        Tensor small = new Tensor("previous", TensorType.UINT8, new long[] {1, H / 2, W, 3}, ByteBuffer.allocate(H / 2 * W * 3));
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(List.of(rgb("stylized", p), small,
                rgb("warped_previous", p), rgb("source", p), rgb("previous_source", p), rgb("warped_previous_source", p),
                flow("backward", (x, y) -> new float[2]), flow("warped_forward", (x, y) -> new float[2]))));
        assertInstanceOf(InvalidInferenceRequestException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("'previous'"), e.getCause().getMessage());
    }
}

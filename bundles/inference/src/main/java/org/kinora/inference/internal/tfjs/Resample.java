package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Image resampling as two small matrix products ({@code R_h · x · R_wᵀ} on the last two axes): the same code does TF's
 * three bilinear conventions exactly (legacy, {@code align_corners}, {@code half_pixel_centers}), and a box (area) filter
 * for shrinking frames without aliasing. The matrices are built on the host; everything else runs on the device.
 */
public final class Resample {

    /** TF's bilinear coordinate conventions. */
    public enum Mode {
        /** {@code src = dst * in/out} (TF's default before half-pixel centers). */
        LEGACY,
        /** {@code src = dst * (in-1)/(out-1)}. */
        ALIGN_CORNERS,
        /** {@code src = (dst + 0.5) * in/out - 0.5}, as PyTorch {@code align_corners=False} and OpenCV. */
        HALF_PIXEL
    }

    private Resample() {
    }

    /** The mode TF's ResizeBilinear attributes select. */
    public static Mode mode(boolean alignCorners, boolean halfPixelCenters) {
        return alignCorners ? Mode.ALIGN_CORNERS : halfPixelCenters ? Mode.HALF_PIXEL : Mode.LEGACY;
    }

    /**
     * Row weights {@code [out, in]} of TF's bilinear resize along one axis, computed as tfjs-backend-cpu's ResizeBilinear
     * does (source floor clamped at 0, ceil clamped at {@code in-1}).
     */
    public static float[] bilinearWeights(int in, int out, Mode mode) {
        float[] w = new float[out * in];
        boolean align = mode == Mode.ALIGN_CORNERS && out > 1;
        double ratio = align ? (in - 1) / (double) (out - 1) : in / (double) out;
        for (int o = 0; o < out; o++) {
            double src = mode == Mode.HALF_PIXEL ? ratio * (o + 0.5) - 0.5 : ratio * o;
            int lo = (int) Math.max(0, Math.floor(src));
            int hi = (int) Math.min(in - 1, Math.ceil(src));
            lo = Math.min(lo, in - 1);
            double frac = src - lo;
            if (lo == hi) {
                w[o * in + lo] = 1f;
            } else {
                w[o * in + lo] += (float) (1 - frac);
                w[o * in + hi] += (float) frac;
            }
        }
        return w;
    }

    /**
     * Row weights {@code [out, in]} of a box filter: each output sample averages the input span it covers, with fractional
     * weights at the span's ends. Used to shrink; for growing it degrades to nearest-neighbour, so use bilinear then.
     */
    public static float[] areaWeights(int in, int out) {
        float[] w = new float[out * in];
        double step = in / (double) out;
        for (int o = 0; o < out; o++) {
            double a = o * step;
            double b = a + step;
            for (int i = (int) Math.floor(a); i < Math.min(in, (int) Math.ceil(b)); i++) {
                double overlap = Math.min(b, i + 1) - Math.max(a, i);
                if (overlap > 0) {
                    w[o * in + i] = (float) (overlap / step);
                }
            }
        }
        return w;
    }

    /** Weights for a frame resize: area when shrinking, half-pixel bilinear when growing. */
    public static float[] frameWeights(int in, int out) {
        return out < in ? areaWeights(in, out) : bilinearWeights(in, out, Mode.HALF_PIXEL);
    }

    /**
     * A frame resize of the last two axes of {@code x} (float, {@code [C, H, W]} or {@code [H, W]}) with the filters of
     * {@link #frameWeights}, made cheap for video-size frames, where the dense products would cost more than the model (a
     * 1280x720 frame into MoveNet's 192 square: ~0.6 GMAC):
     * <ul>
     * <li>growing (masks back to the frame): PyTorch's bilinear upsample, which is the half-pixel bilinear filter exactly;</li>
     * <li>shrinking by 4x or more: first an exact box average over k x k blocks (k at most half the factor and dividing the
     * side, so the geometry is unchanged), then the area filter on the smaller picture. The combined filter is a slightly
     * smoother box of boxes; below 4x nothing changes.</li>
     * </ul>
     * The result and the temporaries live on {@code x}'s manager; the temporaries are closed here.
     */
    public static NDArray frame(NDArray x, int outH, int outW) {
        Shape s = x.getShape();
        int dims = s.dimension();
        int h = (int) s.get(dims - 2);
        int w = (int) s.get(dims - 1);
        long c = dims == 3 ? s.get(0) : 1;
        if (outH >= h && outW >= w && (outH > h || outW > w) && x instanceof PtNDArray
                && x.getDataType() == DataType.FLOAT32 && (dims == 2 || dims == 3)) {
            try (NDArray x4 = x.reshape(1, c, h, w);
                 NDArray up = JniUtils.interpolate((PtNDArray) x4, new long[] {outH, outW}, TORCH_BILINEAR, false)) {
                return dims == 3 ? up.reshape(c, outH, outW) : up.reshape(outH, outW);
            }
        }
        int kh = boxFactor(h, outH);
        int kw = boxFactor(w, outW);
        if ((kh > 1 || kw > 1) && (dims == 2 || dims == 3)) {
            try (NDArray x4 = x.reshape(1, c, h, w);
                 NDArray pooled = Pool.avgPool2d(x4, new Shape(kh, kw), new Shape(kh, kw), new Shape(0, 0), false, true);
                 NDArray small = dims == 3 ? pooled.reshape(c, h / kh, w / kw) : pooled.reshape(h / kh, w / kw)) {
                return apply(small, frameWeights(h / kh, outH), outH, frameWeights(w / kw, outW), outW);
            }
        }
        return apply(x, frameWeights(h, outH), outH, frameWeights(w, outW), outW);
    }

    /** {@code torch::nn::functional::InterpolateFuncOptions} mode index of bilinear, as DJL's JNI takes it. */
    private static final int TORCH_BILINEAR = 2;

    /** The box pre-average for shrinking {@code in} to {@code out}: the largest k <= in/(2 out) dividing {@code in}, or 1. */
    static int boxFactor(int in, int out) {
        if (in < 4 * out) {
            return 1;
        }
        for (int k = in / (2 * out); k > 1; k--) {
            if (in % k == 0) {
                return k;
            }
        }
        return 1;
    }

    /**
     * Resizes the last two axes of {@code x} (float, {@code [..., H, W]}) with row weights {@code rh [outH, H]} and {@code
     * rw [outW, W]}. The result and the temporaries live on {@code x}'s manager; the temporaries are closed here.
     */
    public static NDArray apply(NDArray x, float[] rh, int outH, float[] rw, int outW) {
        Shape s = x.getShape();
        int dims = s.dimension();
        int h = (int) s.get(dims - 2);
        int w = (int) s.get(dims - 1);
        NDManager m = x.getManager();
        try (NDArray rwT = m.create(rw, new Shape(outW, w)).transpose();
             NDArray rhA = m.create(rh, new Shape(outH, h))) {
            NDArray cols = w == outW && identity(rw, w) ? null : x.matMul(rwT);
            NDArray src = cols == null ? x : cols;
            NDArray out = h == outH && identity(rh, h) ? src.duplicate() : rhA.matMul(src);
            if (cols != null) {
                cols.close();
            }
            return out;
        }
    }

    private static boolean identity(float[] r, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (r[i * n + j] != (i == j ? 1f : 0f)) {
                    return false;
                }
            }
        }
        return true;
    }
}

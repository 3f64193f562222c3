package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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

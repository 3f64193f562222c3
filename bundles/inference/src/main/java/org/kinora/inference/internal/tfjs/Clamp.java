package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Clamping through {@code maximum}/{@code minimum} with 0-d bounds instead of DJL's {@code clip}: on the PyTorch engine
 * {@code clip} goes through {@code torch.clamp} with tensor bounds, which measured 10-18x slower than the two element-wise
 * ops (1.8 ms vs 0.2 ms on 885k floats, one thread), and it leaves its two bound tensors on the array's manager.
 */
final class Clamp {

    private Clamp() {
    }

    /** {@code min(max(x, lo), hi)} as a new float array on {@code x}'s manager. */
    static NDArray apply(NDArray x, float lo, float hi) {
        NDManager m = x.getManager();
        try (NDArray l = m.create(lo); NDArray h = m.create(hi); NDArray low = x.maximum(l)) {
            return low.minimum(h);
        }
    }

    /** {@code min(max(x, lo), hi)} with bounds already on the device (0-d, {@code x}'s dtype). */
    static NDArray apply(NDArray x, NDArray lo, NDArray hi) {
        try (NDArray low = x.maximum(lo)) {
            return low.minimum(hi);
        }
    }
}

package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;

/** The trainers' guard against a non-finite step: telling it, and undoing its gradients. */
public final class Gradients {

    private Gradients() {
    }

    /** Whether every gradient of the block's parameters is finite (a step with a NaN or infinite one is skipped). */
    public static boolean finite(Block net) {
        boolean finite = true;
        for (var p : net.getParameters()) {
            // made on the parameters' manager, which lives all run: closed here so that nothing piles up per step
            NDArray g = p.getValue().getArray().getGradient();
            NDArray a = g.abs();
            NDArray sum = a.sum();
            finite &= Float.isFinite(sum.getFloat());
            sum.close();
            a.close();
            g.close();
        }
        return finite;
    }

    /**
     * Sets every gradient of the block's parameters to zero after a skipped step. DJL's own zeroing subtracts a gradient
     * from itself, which leaves a NaN a NaN, and PyTorch adds each backward pass to the gradient already there: without
     * this, one non-finite step would make every later step non-finite too (seen: a run skipped every step after its
     * first NaN).
     */
    public static void clear(Block net) {
        for (var p : net.getParameters()) {
            NDArray g = p.getValue().getArray().getGradient();
            // filled in place: NDArray.set(Buffer) would point the tensor at a Java buffer that is freed with this handle
            g.set(new NDIndex("..."), 0f);
            g.close();
        }
    }
}

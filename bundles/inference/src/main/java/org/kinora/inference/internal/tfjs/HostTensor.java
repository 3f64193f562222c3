package org.kinora.inference.internal.tfjs;

import java.util.Arrays;

/**
 * A weight or constant as read from the model files, on the Java heap: fp32 ({@link #floats}) or int32 ({@link #ints}),
 * exactly one of the two non-null.
 *
 * @param shape  the TF shape (NHWC / HWIO as stored)
 * @param floats the values for float tensors
 * @param ints   the values for int32 tensors
 */
public record HostTensor(long[] shape, float[] floats, int[] ints) {

    /** Element count of {@code shape}, checked to fit an int and to have no negative dimension. */
    static int elements(long[] shape, String what) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(what + ": negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return (int) n;
    }

    /** Whether this is an int32 tensor. */
    public boolean isInt() {
        return ints != null;
    }

    /** Size in bytes once on the device (4 bytes per element either way). */
    public long bytes() {
        return 4L * (isInt() ? ints.length : floats.length);
    }
}

package org.kinora.core.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named, typed n-dimensional array in a byte buffer (little-endian, row-major), the unit of exchange with the
 * inference service. Image batches are {@code UINT8 [N, H, W, 3]} (NHWC, RGB).
 *
 * @param name  the input or output name the model declares
 * @param type  the element type
 * @param shape the dimensions
 * @param data  the elements; position 0, limit = element count * element size
 */
public record Tensor(String name, TensorType type, long[] shape, ByteBuffer data) {

    public Tensor {
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (data == null || data.limit() != n * type.bytes()) {
            throw new IllegalArgumentException("tensor '" + name + "' " + type + Arrays.toString(shape) + " needs "
                    + n * type.bytes() + " bytes, got " + (data == null ? "none" : data.limit()));
        }
        data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + ":" + type + Arrays.toString(shape);
    }
}

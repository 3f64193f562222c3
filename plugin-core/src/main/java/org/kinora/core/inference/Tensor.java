package org.kinora.core.inference;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A named, typed n-dimensional array in a byte buffer (little-endian, row-major), the unit of exchange with the
 * inference service. Image batches are {@code UINT8 [N, H, W, 3]} (NHWC, RGB). {@link TensorType#BYTES} tensors hold
 * length-prefixed strings (see {@link #ofStrings}).
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
        if (data == null) {
            throw new IllegalArgumentException("tensor '" + name + "' has no data");
        }
        if (type == TensorType.BYTES) {
            checkStrings(name, data.duplicate().order(ByteOrder.LITTLE_ENDIAN), n);
        } else if (data.limit() != n * type.bytes()) {
            throw new IllegalArgumentException("tensor '" + name + "' " + type + Arrays.toString(shape) + " needs "
                    + n * type.bytes() + " bytes, got " + data.limit());
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

    /** An {@link TensorType#FP32} tensor of {@code values} in row-major order (their count must match the shape). */
    public static Tensor ofFloats(String name, long[] shape, float[] values) {
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(4, values.length)).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        return new Tensor(name, TensorType.FP32, shape, data);
    }

    /** The elements of an {@link TensorType#FP32} tensor, in row-major order. */
    public float[] floats() {
        if (type != TensorType.FP32) {
            throw new IllegalStateException("tensor '" + name + "' is " + type + ", not FP32");
        }
        float[] out = new float[data.remaining() / 4];
        data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** A {@link TensorType#BYTES} tensor of UTF-8 strings with the given shape (its element count must match). */
    public static Tensor ofStrings(String name, long[] shape, List<String> values) {
        List<byte[]> encoded = new ArrayList<>(values.size());
        int total = 0;
        for (String v : values) {
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            encoded.add(b);
            total = Math.addExact(total, Math.addExact(4, b.length));
        }
        ByteBuffer data = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] b : encoded) {
            data.putInt(b.length).put(b);
        }
        return new Tensor(name, TensorType.BYTES, shape, data.flip());
    }

    /** The elements of a {@link TensorType#BYTES} tensor as UTF-8 strings, in row-major order. */
    public List<String> strings() {
        if (type != TensorType.BYTES) {
            throw new IllegalStateException("tensor '" + name + "' is " + type + ", not BYTES");
        }
        ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<String> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int len = b.getInt();
            byte[] s = new byte[len];
            b.get(s);
            out.add(new String(s, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void checkStrings(String name, ByteBuffer b, long n) {
        long count = 0;
        while (b.remaining() >= 4) {
            int len = b.getInt();
            if (len < 0 || len > b.remaining()) {
                throw new IllegalArgumentException("tensor '" + name + "' BYTES element " + count + " claims " + len
                        + " bytes, " + b.remaining() + " remain");
            }
            b.position(b.position() + len);
            count++;
        }
        if (b.hasRemaining() || count != n) {
            throw new IllegalArgumentException("tensor '" + name + "' BYTES data holds " + count + " elements"
                    + (b.hasRemaining() ? " and " + b.remaining() + " stray bytes" : "") + ", its shape needs " + n);
        }
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

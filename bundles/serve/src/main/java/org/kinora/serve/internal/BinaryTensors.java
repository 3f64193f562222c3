package org.kinora.serve.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/**
 * The protocol's binary tensor data extension ({@code binary_tensor_data}, as Triton and KServe define it): a message
 * body is the JSON inference header followed by the raw data of the tensors marked binary, in their order in the JSON;
 * the HTTP header {@code Inference-Header-Content-Length} gives the JSON's length. The data is little-endian and
 * row-major, and a {@code BYTES} element is a 4-byte little-endian length and that many bytes: {@link Tensor}'s own
 * layout, so the bytes go into and out of tensors as they are.
 */
final class BinaryTensors {

    /** What servers list in their metadata's {@code extensions} when they take and give binary data. */
    static final String EXTENSION = "binary_tensor_data";
    /** The HTTP header with the length of the JSON part of a body. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    /** Tensor parameter: the size of its data in the binary part. */
    static final String SIZE = "binary_data_size";
    /** Parameter of a requested output: send it as binary data. */
    static final String OUTPUT = "binary_data";
    /** Request parameter: send every output as binary data (unless the output itself says otherwise). */
    static final String ALL_OUTPUTS = "binary_data_output";
    /** The content type of a body with binary data (Triton's). */
    static final String CONTENT_TYPE = "application/octet-stream";

    /**
     * The first buffer for a tensor's binary data; it grows with what actually arrives, so a body that announces more
     * than it sends holds little.
     */
    private static final int FIRST_CHUNK = 16 << 20;

    private BinaryTensors() {
    }

    /**
     * The JSON part's length, from the {@value #HEADER_LENGTH} header.
     *
     * @param value      the header's value
     * @param bodyLength the body's declared length, or -1 when it is not declared (chunked)
     * @throws IllegalArgumentException when it is not a positive number or goes beyond the body
     */
    static long headerLength(String value, long bodyLength) {
        long n;
        try {
            n = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(HEADER_LENGTH + " must be a number of bytes, got '" + value + "'");
        }
        if (n <= 0) {
            throw new IllegalArgumentException(HEADER_LENGTH + " must be a positive number of bytes, got " + n);
        }
        if (bodyLength >= 0 && n > bodyLength) {
            throw new IllegalArgumentException(HEADER_LENGTH + " of " + n + " bytes goes beyond the body of " + bodyLength + " bytes");
        }
        return n;
    }

    /** The next {@code n} bytes of {@code in} as a stream that ends there, and whose closing leaves {@code in} open. */
    static InputStream window(InputStream in, long n) {
        return new Window(in, n);
    }

    /**
     * Reads the binary data of the entries that have it, in their order, and gives every entry as its tensor. The sizes
     * are checked against the shapes and the body before anything is read.
     *
     * @param in      the body, just after its JSON part
     * @param entries the tensors as the JSON describes them
     * @param rest    the bytes the body holds after its JSON part, or -1 when not known (chunked): the binary sizes must
     *                add up to exactly that
     * @param max     the most bytes the binary data may have in all
     * @param what    the tensors' place, for messages ({@code input}, {@code output})
     * @throws IllegalArgumentException naming the tensor, when a size does not fit its tensor or the body
     */
    static List<Tensor> read(InputStream in, List<TensorJson.Entry> entries, long rest, long max, String what) throws IOException {
        long sum = 0;
        List<String> sizes = new ArrayList<>();
        for (TensorJson.Entry e : entries) {
            if (e.binary()) {
                checkSize(e, what);
                sum = Math.addExact(sum, e.binarySize());
                sizes.add("'" + e.name() + "' " + e.binarySize());
            }
        }
        if (rest >= 0 && sum != rest) {
            throw new IllegalArgumentException("the binary data of the " + what + " tensors (" + SIZE + ": " + (sizes.isEmpty() ? "none"
                    : String.join(", ", sizes)) + ") add up to " + sum + " bytes, but " + rest + " bytes follow the JSON part (the body's"
                    + " length less " + HEADER_LENGTH + ")");
        }
        if (sum > max) {
            throw new IllegalArgumentException("the binary data of the " + what + " tensors (" + SIZE + ": " + String.join(", ", sizes)
                    + ") add up to " + sum + " bytes, more than the " + max + " bytes the body may have after its JSON part");
        }
        List<Tensor> out = new ArrayList<>(entries.size());
        for (TensorJson.Entry e : entries) {
            if (!e.binary()) {
                out.add(e.tensor());
                continue;
            }
            ByteBuffer data = readPart(in, e.binarySize(), TensorJson.label(what, e.name()));
            try {
                out.add(new Tensor(e.name(), e.type(), e.shape(), data));
            } catch (IllegalArgumentException bad) {
                // the Tensor constructor checks the BYTES framing and names the tensor
                throw new IllegalArgumentException(what + " " + bad.getMessage() + " (binary data)");
            }
        }
        if (in.read() >= 0) {
            throw new IllegalArgumentException("the body goes on after the binary data its " + what + " tensors announce (" + SIZE + ")");
        }
        return out;
    }

    /** A fixed-size tensor's binary data must be exactly its shape times its element size. */
    private static void checkSize(TensorJson.Entry e, String what) {
        String label = TensorJson.label(what, e.name());
        if (e.binarySize() > TensorJson.MAX_TENSOR_BYTES) {
            throw new IllegalArgumentException(label + " has " + e.binarySize() + " bytes of binary data, more than 2 GiB");
        }
        if (e.type() == TensorType.BYTES) {
            return; // the framing is checked when the tensor is made
        }
        long n = 1;
        for (long d : e.shape()) {
            n = Math.multiplyExact(n, d);
        }
        long want = Math.multiplyExact(n, e.type().bytes());
        if (e.binarySize() != want) {
            throw new IllegalArgumentException(label + " " + e.type() + Arrays.toString(e.shape()) + " needs " + want + " bytes of binary data, its "
                    + SIZE + " is " + e.binarySize());
        }
    }

    private static ByteBuffer readPart(InputStream in, long size, String label) throws IOException {
        byte[] buf = new byte[(int) Math.min(size, FIRST_CHUNK)];
        int n = 0;
        while (n < size) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(size, 2L * buf.length));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                throw new IllegalArgumentException(label + ": the body ends after " + n + " of its " + size + " bytes of binary data");
            }
            n += r;
        }
        return ByteBuffer.wrap(buf);
    }

    /** The size of a tensor's binary data. */
    static long size(Tensor t) {
        return t.data().remaining();
    }

    /** Writes a tensor's data as it is. */
    static void write(OutputStream out, Tensor t) throws IOException {
        ByteBuffer d = t.data().duplicate();
        if (d.hasArray()) {
            out.write(d.array(), d.arrayOffset() + d.position(), d.remaining());
            return;
        }
        byte[] chunk = new byte[Math.min(d.remaining(), 1 << 16)];
        while (d.hasRemaining()) {
            int n = Math.min(chunk.length, d.remaining());
            d.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** A stream over the first bytes of another, leaving the rest of it to be read after. */
    private static final class Window extends FilterInputStream {
        private long left;

        Window(InputStream in, long n) {
            super(in);
            this.left = n;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, left));
            left -= s;
            return s;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(super.available(), left);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the binary data follows in the same stream
        }
    }
}

package org.kinora.serve.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/**
 * Tensors in the protocol's JSON form: {@code {"name", "shape", "datatype", "parameters"?, "data"}}, data as a flat
 * (row-major) or nested array of numbers, booleans ({@code BOOL}) or strings ({@code BYTES}). Data is read token by
 * token straight into the tensor's bytes, never through a tree of nodes, and written the same way. A tensor whose data
 * is binary ({@link BinaryTensors}) has {@code "parameters": {"binary_data_size": n}} instead of {@code "data"}.
 *
 * <p>Content errors (a wrong element count, a value out of range, a missing field) are {@link IllegalArgumentException}s
 * naming the tensor; malformed JSON is Jackson's own exception.
 */
final class TensorJson {

    /** Largest tensor we hold in one buffer. */
    static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 16;
    private static final int FIRST_CHUNK = 1 << 20;

    private TensorJson() {
    }

    /**
     * A tensor object as read: its data from the JSON, or the size of its data in the binary part of the message (the
     * binary tensor data extension: {@code "parameters": {"binary_data_size": n}} and no {@code "data"}).
     *
     * @param data       the elements, or null when they follow the JSON as binary data
     * @param binarySize the size of the binary data, or -1 when the data was in the JSON
     */
    record Entry(String name, TensorType type, long[] shape, ByteBuffer data, long binarySize) {

        boolean binary() {
            return binarySize >= 0;
        }

        /** The tensor, for an entry whose data was in the JSON. */
        Tensor tensor() {
            return new Tensor(name, type, shape, data);
        }
    }

    /**
     * Reads one tensor object, with its data in the JSON or, with {@code binary_data_size}, announced for the binary part
     * that follows; the parser is on its {@code START_OBJECT} and is left on its {@code END_OBJECT}.
     */
    static Entry readEntry(JsonParser p, String what) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_OBJECT, what + " tensor");
        String name = null;
        long[] shape = null;
        TensorType type = null;
        ByteBuffer data = null;
        long binarySize = -1;
        boolean hasData = false;
        TokenBuffer early = null; // data that came before its shape or datatype
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> name = text(p, t, what + " tensor name");
                case "shape" -> shape = readShape(p, t, label(what, name));
                case "datatype" -> {
                    String dt = text(p, t, label(what, name) + " datatype");
                    try {
                        type = TensorType.ofProtocolName(dt);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(label(what, name) + ": " + e.getMessage());
                    }
                }
                case "parameters" -> binarySize = readTensorParameters(p, t, label(what, name));
                case "data" -> {
                    hasData = true;
                    if (binarySize >= 0) {
                        throw both(label(what, name));
                    }
                    if (type != null && shape != null) {
                        data = readData(p, label(what, name), type, shape);
                    } else {
                        early = TokenBuffer.asCopyOfValue(p);
                    }
                }
                default -> p.skipChildren();
            }
        }
        String label = label(what, name);
        if (name == null) {
            throw new IllegalArgumentException(what + " tensor without a \"name\"");
        }
        if (shape == null) {
            throw new IllegalArgumentException(label + " has no \"shape\"");
        }
        if (type == null) {
            throw new IllegalArgumentException(label + " has no \"datatype\"");
        }
        if (binarySize >= 0) {
            if (hasData) {
                throw both(label);
            }
            return new Entry(name, type, shape, null, binarySize);
        }
        if (data == null && early != null) {
            try (JsonParser q = early.asParser(p.getCodec())) {
                q.nextToken();
                data = readData(q, label, type, shape);
            }
        }
        if (data == null) {
            throw new IllegalArgumentException(label + " has no \"data\" (nor \"binary_data_size\" for binary data)");
        }
        return new Entry(name, type, shape, data, -1);
    }

    private static IllegalArgumentException both(String label) {
        return new IllegalArgumentException(label + " has both \"data\" and binary data (\"binary_data_size\"): send one");
    }

    static String label(String what, String name) {
        return what + " tensor" + (name == null ? "" : " '" + name + "'");
    }

    /** A tensor's parameters; returns its {@code binary_data_size}, or -1 when it has none. */
    private static long readTensorParameters(JsonParser p, JsonToken t, String label) throws IOException {
        expect(p, t, JsonToken.START_OBJECT, label + " parameters");
        long size = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (key.equals(BinaryTensors.SIZE)) {
                if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                    throw new IllegalArgumentException(label + " parameter \"binary_data_size\" must be a non-negative integer, got "
                            + (v == JsonToken.VALUE_NUMBER_INT ? p.getText() : describe(v)));
                }
                size = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return size;
    }

    static long[] readShape(JsonParser p, JsonToken t, String label) throws IOException {
        expect(p, t, JsonToken.START_ARRAY, label + " shape");
        List<Long> dims = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                throw new IllegalArgumentException(label + " shape must hold non-negative integers, got " + p.getText());
            }
            if (dims.size() >= 32) {
                throw new IllegalArgumentException(label + " shape has more than 32 dimensions");
            }
            dims.add(p.getLongValue());
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(label + " shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return shape;
    }

    /**
     * Reads a data array (flat or nested, in row-major order) into little-endian bytes. The buffer grows with the data
     * that actually arrives, up to what the shape needs, so a small body claiming a huge shape allocates little.
     */
    static ByteBuffer readData(JsonParser p, String label, TensorType type, long[] shape) throws IOException {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (type != TensorType.BYTES && n * type.bytes() > MAX_TENSOR_BYTES) {
            throw new IllegalArgumentException(label + " " + type + Arrays.toString(shape) + " is larger than 2 GiB");
        }
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_ARRAY) {
            // a single element for a tensor of one, as some clients send scalars
            if (n != 1 || t == JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(label + " data must be an array");
            }
        }
        Sink sink = type == TensorType.BYTES ? new StringSink() : new FixedSink(type, n);
        long count = 0;
        int depth = 0;
        do {
            if (t == JsonToken.START_ARRAY) {
                if (++depth > Math.max(1, shape.length)) {
                    throw new IllegalArgumentException(label + " data is nested deeper than its shape " + Arrays.toString(shape));
                }
            } else if (t == JsonToken.END_ARRAY) {
                depth--;
            } else {
                if (count == n) {
                    throw new IllegalArgumentException(label + " " + type + Arrays.toString(shape) + " needs " + n
                            + " elements, its data holds more");
                }
                sink.add(p, t, label, count);
                count++;
            }
        } while (depth > 0 && (t = p.nextToken()) != null);
        if (count != n) {
            throw new IllegalArgumentException(label + " " + type + Arrays.toString(shape) + " needs " + n + " elements, its data holds "
                    + count);
        }
        return sink.buffer();
    }

    /** Writes one tensor object with its data. */
    static void writeTensor(JsonGenerator g, Tensor t) throws IOException {
        writeTensor(g, t, false);
    }

    /**
     * Writes one tensor object; with {@code binary}, its data is left for the binary part of the message and the object
     * says its size ({@code "parameters": {"binary_data_size": n}}) instead.
     */
    static void writeTensor(JsonGenerator g, Tensor t, boolean binary) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeFieldName("shape");
        long[] shape = t.shape();
        g.writeArray(shape, 0, shape.length);
        g.writeStringField("datatype", t.type().protocolName());
        if (binary) {
            g.writeObjectFieldStart("parameters");
            g.writeNumberField(BinaryTensors.SIZE, t.data().remaining());
            g.writeEndObject();
        } else {
            g.writeFieldName("data");
            writeData(g, t);
        }
        g.writeEndObject();
    }

    /** Writes the elements as one flat array, row-major, as the protocol's clients expect. */
    static void writeData(JsonGenerator g, Tensor t) throws IOException {
        ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        g.writeStartArray();
        switch (t.type()) {
            case BOOL -> {
                while (b.hasRemaining()) {
                    g.writeBoolean(b.get() != 0);
                }
            }
            case UINT8 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.get() & 0xff);
                }
            }
            case INT8 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.get());
                }
            }
            case INT32 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.getInt());
                }
            }
            case INT64 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.getLong());
                }
            }
            case FP16 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(Half.toFloat(b.getShort()));
                }
            }
            case FP32 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.getFloat());
                }
            }
            case FP64 -> {
                while (b.hasRemaining()) {
                    g.writeNumber(b.getDouble());
                }
            }
            case BYTES -> {
                for (String s : t.strings()) {
                    g.writeString(s);
                }
            }
        }
        g.writeEndArray();
    }

    static void expect(JsonParser p, JsonToken got, JsonToken want, String what) {
        if (got != want) {
            throw new IllegalArgumentException(what + " must be " + (want == JsonToken.START_OBJECT ? "an object"
                    : want == JsonToken.START_ARRAY ? "an array" : want.asString()) + ", got " + describe(got));
        }
    }

    static String text(JsonParser p, JsonToken t, String what) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(what + " must be a string, got " + describe(t));
        }
        return p.getText();
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    /** Where elements go as they are read. */
    private interface Sink {
        void add(JsonParser p, JsonToken t, String label, long index) throws IOException;

        ByteBuffer buffer();
    }

    /** Fixed-size elements into a buffer that grows up to exactly what the shape needs. */
    private static final class FixedSink implements Sink {
        private final TensorType type;
        private final int limit;
        private ByteBuffer buf;

        FixedSink(TensorType type, long n) {
            this.type = type;
            this.limit = Math.toIntExact(n * type.bytes());
            this.buf = ByteBuffer.allocate(Math.min(limit, FIRST_CHUNK)).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public void add(JsonParser p, JsonToken t, String label, long index) throws IOException {
            if (buf.remaining() < type.bytes()) {
                ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(limit, 2L * buf.capacity())).order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
            switch (type) {
                case BOOL -> {
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw bad(label, index, "true or false", p, t);
                    }
                    buf.put((byte) (t == JsonToken.VALUE_TRUE ? 1 : 0));
                }
                case UINT8 -> buf.put((byte) integer(p, t, label, index, 0, 255));
                case INT8 -> buf.put((byte) integer(p, t, label, index, Byte.MIN_VALUE, Byte.MAX_VALUE));
                case INT32 -> buf.putInt((int) integer(p, t, label, index, Integer.MIN_VALUE, Integer.MAX_VALUE));
                case INT64 -> buf.putLong(integer(p, t, label, index, Long.MIN_VALUE, Long.MAX_VALUE));
                case FP16 -> buf.putShort(Half.fromFloat((float) real(p, t, label, index, false)));
                case FP32 -> buf.putFloat((float) real(p, t, label, index, false));
                case FP64 -> buf.putDouble(real(p, t, label, index, true));
                default -> throw new IllegalStateException(type.toString());
            }
        }

        @Override
        public ByteBuffer buffer() {
            return buf.flip();
        }

        private static long integer(JsonParser p, JsonToken t, String label, long index, long min, long max) throws IOException {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw bad(label, index, "an integer", p, t);
            }
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw bad(label, index, "an integer in [" + min + ", " + max + "]", p, t);
            }
            long v = p.getLongValue();
            if (v < min || v > max) {
                throw bad(label, index, "an integer in [" + min + ", " + max + "]", p, t);
            }
            return v;
        }

        /** A number; NaN and the infinities also as the strings Jackson and Python write for them. */
        private static double real(JsonParser p, JsonToken t, String label, long index, boolean dbl) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                // read as float directly for FP32/FP16: parsing to double first could round twice
                return dbl ? p.getDoubleValue() : p.getFloatValue();
            }
            if (t == JsonToken.VALUE_STRING) {
                switch (p.getText()) {
                    case "NaN", "nan" -> {
                        return Double.NaN;
                    }
                    case "Infinity", "inf", "+Infinity" -> {
                        return Double.POSITIVE_INFINITY;
                    }
                    case "-Infinity", "-inf" -> {
                        return Double.NEGATIVE_INFINITY;
                    }
                    default -> {
                    }
                }
            }
            throw bad(label, index, "a number", p, t);
        }
    }

    /** BYTES elements: UTF-8, each behind its 4-byte little-endian length. */
    private static final class StringSink implements Sink {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final byte[] len = new byte[4];

        @Override
        public void add(JsonParser p, JsonToken t, String label, long index) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                throw bad(label, index, "a string", p, t);
            }
            byte[] s = p.getText().getBytes(StandardCharsets.UTF_8);
            ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).putInt(0, s.length);
            out.write(len);
            out.write(s);
            if (out.size() > MAX_TENSOR_BYTES / 2) {
                throw new IllegalArgumentException(label + " holds more than 1 GiB of strings");
            }
        }

        @Override
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static IllegalArgumentException bad(String label, long index, String want, JsonParser p, JsonToken t) throws IOException {
        String got = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY ? describe(t)
                : t == JsonToken.VALUE_STRING ? "a string" : p.getText();
        return new IllegalArgumentException(label + " element " + index + " must be " + want + ", got " + got);
    }
}

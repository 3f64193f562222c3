package org.kinora.serve.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinora.core.inference.Tensor;

/**
 * The protocol's inference request and response documents, read and written as token streams (a request's tensors can
 * be tens of megabytes of JSON).
 */
final class InferJson {

    /** Reads NaN/Infinity tokens too (Python's json writes them) and allows long strings and documents. */
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).maxDocumentLength(-1).build())
            .build());

    private InferJson() {
    }

    /**
     * An output a request asks for.
     *
     * @param name   the output's name
     * @param binary whether it is to come back as binary data; null when the request does not say
     */
    record Output(String name, Boolean binary) {
    }

    /**
     * An inference request as sent.
     *
     * @param id         the request id, or null
     * @param parameters the request parameters (scalars only)
     * @param inputs     the input tensors
     * @param outputs    the requested outputs; empty for all
     */
    record Request(String id, Map<String, Object> parameters, List<Tensor> inputs, List<Output> outputs) {
    }

    /**
     * An inference response.
     *
     * @param modelName    the model that ran
     * @param modelVersion its version, or null
     * @param id           the request id, or null
     * @param outputs      the output tensors
     */
    record Response(String modelName, String modelVersion, String id, List<Tensor> outputs) {
    }

    /** A request whose body is all JSON; an input with binary data is refused. */
    static Request readRequest(InputStream in) throws IOException {
        Head<Output> h = readRequestHead(in, false);
        return new Request(h.id, h.parameters, jsonOnly(h.tensors, "input"), h.outputs);
    }

    /**
     * A request with the binary tensor data extension: the JSON part, then the binary data of the inputs that have it.
     *
     * @param headerLength the JSON part's length ({@value BinaryTensors#HEADER_LENGTH})
     * @param rest         the bytes after the JSON part, or -1 when not known
     * @param max          the most bytes the binary data may have
     */
    static Request readRequest(InputStream in, long headerLength, long rest, long max) throws IOException {
        Head<Output> h = readRequestHead(BinaryTensors.window(in, headerLength), true);
        return new Request(h.id, h.parameters, BinaryTensors.read(in, h.tensors, rest, max, "input"), h.outputs);
    }

    /** The JSON part of a message: its tensors with their data, or their binary data still to read. */
    private record Head<O>(String id, Map<String, Object> parameters, List<TensorJson.Entry> tensors, List<O> outputs, String model,
            String version) {
    }

    private static List<Tensor> jsonOnly(List<TensorJson.Entry> entries, String what) {
        List<Tensor> out = new ArrayList<>(entries.size());
        for (TensorJson.Entry e : entries) {
            if (e.binary()) {
                throw new IllegalArgumentException(TensorJson.label(what, e.name()) + " has binary data (\"" + BinaryTensors.SIZE
                        + "\"), but the message has no " + BinaryTensors.HEADER_LENGTH + " header saying where its JSON ends");
            }
            out.add(e.tensor());
        }
        return out;
    }

    private static Head<Output> readRequestHead(InputStream in, boolean windowed) throws IOException {
        try (JsonParser p = MAPPER.createParser(in)) {
            TensorJson.expect(p, p.nextToken(), JsonToken.START_OBJECT, "the request");
            String id = null;
            Map<String, Object> parameters = Map.of();
            List<TensorJson.Entry> inputs = null;
            List<Output> outputs = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = TensorJson.text(p, t, "\"id\"");
                    case "parameters" -> parameters = readParameters(p, t);
                    case "inputs" -> {
                        TensorJson.expect(p, t, JsonToken.START_ARRAY, "\"inputs\"");
                        inputs = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            inputs.add(TensorJson.readEntry(p, "input"));
                        }
                    }
                    case "outputs" -> outputs = readRequestedOutputs(p, t);
                    default -> p.skipChildren();
                }
            }
            boolean trailing;
            try {
                trailing = p.nextToken() != null;
            } catch (JsonProcessingException e) {
                trailing = true; // binary bytes, most likely
            }
            if (trailing) {
                if (!windowed && inputs != null) {
                    jsonOnly(inputs, "input"); // says so when they are an input's binary data without the header
                }
                throw new IllegalArgumentException("the request has data after its JSON object" + (windowed ? " (its "
                        + BinaryTensors.HEADER_LENGTH + " goes beyond the JSON)" : ""));
            }
            if (inputs == null) {
                throw new IllegalArgumentException("the request has no \"inputs\"");
            }
            return new Head<>(id, parameters, inputs, outputs, null, null);
        }
    }

    private static List<Output> readRequestedOutputs(JsonParser p, JsonToken t) throws IOException {
        TensorJson.expect(p, t, JsonToken.START_ARRAY, "\"outputs\"");
        List<Output> list = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            TensorJson.expect(p, t, JsonToken.START_OBJECT, "each of \"outputs\"");
            String name = null;
            Boolean binary = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("name")) {
                    name = TensorJson.text(p, v, "output name");
                } else if (field.equals("parameters")) {
                    TensorJson.expect(p, v, JsonToken.START_OBJECT, "the parameters of a requested output");
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        JsonToken pv = p.nextToken();
                        if (key.equals(BinaryTensors.OUTPUT)) {
                            if (pv != JsonToken.VALUE_TRUE && pv != JsonToken.VALUE_FALSE) {
                                throw new IllegalArgumentException("output parameter \"" + BinaryTensors.OUTPUT + "\" must be true or false, got "
                                        + TensorJson.describe(pv));
                            }
                            binary = pv == JsonToken.VALUE_TRUE;
                        } else {
                            // classification asks for an extension we do not have; the tensor comes back as it is
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (name == null) {
                throw new IllegalArgumentException("a requested output has no \"name\"");
            }
            list.add(new Output(name, binary));
        }
        return list;
    }

    /** Request parameters: numbers, strings and booleans. */
    static Map<String, Object> readParameters(JsonParser p, JsonToken t) throws IOException {
        TensorJson.expect(p, t, JsonToken.START_OBJECT, "\"parameters\"");
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            Object value = switch (v) {
                case VALUE_STRING -> p.getText();
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getDoubleValue() : (Object) p.getLongValue();
                case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                default -> throw new IllegalArgumentException("parameter '" + key + "' must be a number, string or boolean, got "
                        + TensorJson.describe(v));
            };
            m.put(key, value);
        }
        return m;
    }

    /** Writes a request as JSON, its data included. */
    static void writeRequest(OutputStream out, Request r) throws IOException {
        writeRequest(out, r, false);
    }

    /**
     * Writes a request's JSON; with {@code binaryInputs}, every input's data is left for the binary part, which the
     * caller sends after the JSON (see {@link BinaryTensors#write}).
     */
    static void writeRequest(OutputStream out, Request r, boolean binaryInputs) throws IOException {
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            if (r.id() != null) {
                g.writeStringField("id", r.id());
            }
            if (!r.parameters().isEmpty()) {
                g.writeFieldName("parameters");
                writeParameters(g, r.parameters());
            }
            g.writeArrayFieldStart("inputs");
            for (Tensor t : r.inputs()) {
                TensorJson.writeTensor(g, t, binaryInputs);
            }
            g.writeEndArray();
            if (!r.outputs().isEmpty()) {
                g.writeArrayFieldStart("outputs");
                for (Output o : r.outputs()) {
                    g.writeStartObject();
                    g.writeStringField("name", o.name());
                    if (o.binary() != null) {
                        g.writeObjectFieldStart("parameters");
                        g.writeBooleanField(BinaryTensors.OUTPUT, o.binary());
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    static void writeParameters(JsonGenerator g, Map<String, Object> parameters) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, Object> e : parameters.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Boolean b) {
                g.writeBooleanField(e.getKey(), b);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                g.writeNumberField(e.getKey(), ((Number) v).longValue());
            } else if (v instanceof Number n) {
                g.writeNumberField(e.getKey(), n.doubleValue());
            } else {
                g.writeStringField(e.getKey(), String.valueOf(v));
            }
        }
        g.writeEndObject();
    }

    /** Writes a response as JSON, its data included. */
    static void writeResponse(OutputStream out, Response r) throws IOException {
        writeResponse(out, r, Set.of());
    }

    /**
     * Writes a response's JSON; the data of the outputs named in {@code binary} is left for the binary part, which the
     * caller sends after the JSON in the same order.
     */
    static void writeResponse(OutputStream out, Response r, Set<String> binary) throws IOException {
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("model_name", r.modelName());
            if (r.modelVersion() != null) {
                g.writeStringField("model_version", r.modelVersion());
            }
            if (r.id() != null) {
                g.writeStringField("id", r.id());
            }
            g.writeArrayFieldStart("outputs");
            for (Tensor t : r.outputs()) {
                TensorJson.writeTensor(g, t, binary.contains(t.name()));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** Reads a response whose body is all JSON; only {@code outputs} is required, as servers differ in what else they send. */
    static Response readResponse(InputStream in) throws IOException {
        Head<Void> h = readResponseHead(in);
        return new Response(h.model, h.version, h.id, jsonOnly(h.tensors, "output"));
    }

    /**
     * Reads a response with the binary tensor data extension: the JSON part, then the binary data of the outputs that
     * have it.
     *
     * @param headerLength the JSON part's length ({@value BinaryTensors#HEADER_LENGTH})
     * @param rest         the bytes after the JSON part, or -1 when not known
     */
    static Response readResponse(InputStream in, long headerLength, long rest) throws IOException {
        Head<Void> h = readResponseHead(BinaryTensors.window(in, headerLength));
        return new Response(h.model, h.version, h.id, BinaryTensors.read(in, h.tensors, rest, Long.MAX_VALUE, "output"));
    }

    private static Head<Void> readResponseHead(InputStream in) throws IOException {
        try (JsonParser p = MAPPER.createParser(in)) {
            TensorJson.expect(p, p.nextToken(), JsonToken.START_OBJECT, "the response");
            String model = null;
            String version = null;
            String id = null;
            List<TensorJson.Entry> outputs = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "model_name" -> model = TensorJson.text(p, t, "\"model_name\"");
                    case "model_version" -> version = t == JsonToken.VALUE_NULL ? null : p.getText();
                    case "id" -> id = t == JsonToken.VALUE_NULL ? null : p.getText();
                    case "outputs" -> {
                        TensorJson.expect(p, t, JsonToken.START_ARRAY, "\"outputs\"");
                        outputs = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            outputs.add(TensorJson.readEntry(p, "output"));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (outputs == null) {
                throw new IllegalArgumentException("the response has no \"outputs\"");
            }
            return new Head<>(id, Map.of(), outputs, List.of(), model, version);
        }
    }
}

package org.kinora.serve.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
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
     * An inference request as sent.
     *
     * @param id         the request id, or null
     * @param parameters the request parameters (scalars only)
     * @param inputs     the input tensors
     * @param outputs    the names of the requested outputs; empty for all
     */
    record Request(String id, Map<String, Object> parameters, List<Tensor> inputs, List<String> outputs) {
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

    static Request readRequest(InputStream in) throws IOException {
        try (JsonParser p = MAPPER.createParser(in)) {
            TensorJson.expect(p, p.nextToken(), JsonToken.START_OBJECT, "the request");
            String id = null;
            Map<String, Object> parameters = Map.of();
            List<Tensor> inputs = null;
            List<String> outputs = List.of();
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
                            inputs.add(TensorJson.readTensor(p, "input"));
                        }
                    }
                    case "outputs" -> outputs = readRequestedOutputs(p, t);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("the request has data after its JSON object");
            }
            if (inputs == null) {
                throw new IllegalArgumentException("the request has no \"inputs\"");
            }
            return new Request(id, parameters, inputs, outputs);
        }
    }

    private static List<String> readRequestedOutputs(JsonParser p, JsonToken t) throws IOException {
        TensorJson.expect(p, t, JsonToken.START_ARRAY, "\"outputs\"");
        List<String> names = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            TensorJson.expect(p, t, JsonToken.START_OBJECT, "each of \"outputs\"");
            String name = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("name")) {
                    name = TensorJson.text(p, v, "output name");
                } else {
                    // binary_data and classification ask for extensions; the data comes back as JSON anyway
                    p.skipChildren();
                }
            }
            if (name == null) {
                throw new IllegalArgumentException("a requested output has no \"name\"");
            }
            names.add(name);
        }
        return names;
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

    static void writeRequest(OutputStream out, Request r) throws IOException {
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
                TensorJson.writeTensor(g, t);
            }
            g.writeEndArray();
            if (!r.outputs().isEmpty()) {
                g.writeArrayFieldStart("outputs");
                for (String name : r.outputs()) {
                    g.writeStartObject();
                    g.writeStringField("name", name);
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

    static void writeResponse(OutputStream out, Response r) throws IOException {
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
                TensorJson.writeTensor(g, t);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** Reads a response; only {@code outputs} is required, as servers differ in what else they send. */
    static Response readResponse(InputStream in) throws IOException {
        try (JsonParser p = MAPPER.createParser(in)) {
            TensorJson.expect(p, p.nextToken(), JsonToken.START_OBJECT, "the response");
            String model = null;
            String version = null;
            String id = null;
            List<Tensor> outputs = null;
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
                            outputs.add(TensorJson.readTensor(p, "output"));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (outputs == null) {
                throw new IllegalArgumentException("the response has no \"outputs\"");
            }
            return new Response(model, version, id, outputs);
        }
    }
}

package org.kinora.serve.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.InferenceServiceImpl;

/**
 * The binary tensor data extension on a real server: requests and responses laid out by hand as Triton documents them
 * (JSON part, then the raw bytes, Inference-Header-Content-Length), every datatype bit for bit, the same results as the
 * JSON path, and every malformed body refused with 400 naming what is wrong, the server serving on.
 */
class BinaryDataTest {

    static InferenceServiceImpl local;
    static OipServer server;
    static OipServer echo;
    static URI v2;

    @BeforeAll
    static void start() throws Exception {
        local = new InferenceServiceImpl();
        server = OipServer.start(local, new OipServer.Limits(4, 16, 1 << 20), "127.0.0.1", 0, null);
        echo = OipServer.start(new EchoService(), OipServer.Limits.defaults(), "127.0.0.1", 0, null);
        v2 = server.address();
    }

    @AfterAll
    static void stop() {
        server.close();
        echo.close();
        local.close();
    }

    @Test
    void theServerListsTheExtension() throws Exception {
        JsonNode ext = Http.get(v2, "", null).json().path("extensions");
        assertEquals("[\"model_repository\",\"binary_tensor_data\"]", ext.toString());
    }

    @Test
    void aFrameInBinaryGivesWhatJsonAndTheLocalServiceGive() throws Exception {
        Tensor frames = Http.frames(11, 1, 37, 53);
        byte[] raw = Http.bytes(frames);
        byte[] expected = Http.bytes(local.infer(new InferenceRequest("style-pencil", List.of(frames), Map.of("strength", 0.6), null,
                Priority.BATCH)).outputs().get(0));
        long before = server.binaryRequests();

        // binary in, binary out (asked on the output)
        String json = "{\"id\":\"b-1\",\"parameters\":{\"strength\":0.6},\"inputs\":[" + Http.binaryInput("frames", "UINT8", frames.shape(), raw.length)
                + "],\"outputs\":[{\"name\":\"frames\",\"parameters\":{\"binary_data\":true}}]}";
        Http.Raw a = Http.postBinary(v2, "/models/style-pencil/infer", json, raw);
        assertEquals(200, a.status(), new String(a.body(), StandardCharsets.UTF_8));
        assertEquals("application/octet-stream", a.header("Content-Type"));
        JsonNode head = a.head();
        assertEquals("b-1", head.path("id").asText());
        JsonNode out = head.path("outputs").get(0);
        assertEquals("frames", out.path("name").asText());
        assertEquals("UINT8", out.path("datatype").asText());
        assertEquals("[1,37,53,3]", out.path("shape").toString());
        assertEquals(raw.length, out.path("parameters").path("binary_data_size").asInt());
        assertFalse(out.has("data"));
        assertArrayEquals(expected, a.binaryOutputs().get("frames"));

        // binary in, nothing asked: the answer is plain JSON, as before the extension
        Http.Raw b = Http.postBinary(v2, "/models/style-pencil/infer", json.replace(",\"outputs\":[{\"name\":\"frames\",\"parameters\":{\"binary_data\":true}}]", ""), raw);
        assertEquals(200, b.status());
        assertEquals("application/json", b.header("Content-Type"));
        assertNull(b.header("Inference-Header-Content-Length"));
        InferJson.Response viaJson = InferJson.readResponse(new ByteArrayInputStream(b.body()));
        assertArrayEquals(expected, Http.bytes(viaJson.outputs().get(0)));

        // JSON in, every output binary (the request parameter)
        Http.Raw c = Http.postBinary(v2, "/models/style-pencil/infer", Http.inferBody("c", frames, "{\"strength\": 0.6, \"binary_data_output\": true}"),
                new byte[0], null, false);
        assertEquals(200, c.status(), new String(c.body(), StandardCharsets.UTF_8));
        assertArrayEquals(expected, c.binaryOutputs().get("frames"));

        // all JSON, as before
        Http.Answer d = Http.post(v2, "/models/style-pencil/infer", Http.inferBody("d", frames, "{\"strength\": 0.6}"), null);
        assertArrayEquals(expected, Http.bytes(InferJson.readResponse(new ByteArrayInputStream(d.body().getBytes(StandardCharsets.UTF_8)))
                .outputs().get(0)));
        assertEquals(before + 2, server.binaryRequests());
    }

    /** One tensor of each datatype, [2, 3], random bits (NaN payloads and all) or strings. */
    private static List<Tensor> everyType(long seed, boolean canonicalNaN) {
        Random r = new Random(seed);
        List<Tensor> list = new ArrayList<>();
        for (TensorType t : TensorType.values()) {
            String name = EchoService.name(t);
            long[] shape = {2, 3};
            if (t == TensorType.BYTES) {
                list.add(Tensor.ofStrings(name, shape, List.of("", "a", "Grüße, 世界", "\u0000\u0001 binary", "x".repeat(300), "\"q\"")));
                continue;
            }
            byte[] b = new byte[6 * t.bytes()];
            r.nextBytes(b);
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 6; i++) {
                switch (t) {
                    case BOOL -> b[i] = (byte) (b[i] & 1);
                    case FP16 -> {
                        if (canonicalNaN && Float.isNaN(Half.toFloat(buf.getShort(2 * i)))) {
                            buf.putShort(2 * i, (short) 0x7e00);
                        }
                    }
                    case FP32 -> {
                        if (canonicalNaN && Float.isNaN(buf.getFloat(4 * i))) {
                            buf.putFloat(4 * i, Float.NaN);
                        }
                    }
                    case FP64 -> {
                        if (canonicalNaN && Double.isNaN(buf.getDouble(8 * i))) {
                            buf.putDouble(8 * i, Double.NaN);
                        }
                    }
                    default -> {
                    }
                }
            }
            if (!canonicalNaN && t == TensorType.FP32) {
                buf.putInt(0, 0x7fc01234); // a NaN with a payload: binary data keeps it
            }
            list.add(new Tensor(name, t, shape, ByteBuffer.wrap(b)));
        }
        return list;
    }

    @Test
    void everyDatatypeGoesBothWaysBitForBit() throws Exception {
        URI e = echo.address();
        List<Tensor> tensors = everyType(3, false);
        StringBuilder json = new StringBuilder("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Tensor t : tensors) {
            byte[] b = Http.bytes(t);
            json.append(data.size() == 0 ? "" : ",").append(Http.binaryInput(t.name(), t.type().protocolName(), t.shape(), b.length));
            data.write(b);
        }
        json.append("]}");
        Http.Raw a = Http.postBinary(e, "/models/echo/infer", json.toString(), data.toByteArray());
        assertEquals(200, a.status(), new String(a.body(), StandardCharsets.UTF_8));
        Map<String, byte[]> outs = a.binaryOutputs();
        assertEquals(tensors.stream().map(Tensor::name).toList(), new ArrayList<>(outs.keySet()), "binary parts in output order");
        for (Tensor t : tensors) {
            assertArrayEquals(Http.bytes(t), outs.get(t.name()), t.type() + " bit for bit");
        }
        assertEquals(tensors.get(TensorType.BYTES.ordinal()).strings(),
                new Tensor("bytes", TensorType.BYTES, new long[] {2, 3}, ByteBuffer.wrap(outs.get("bytes"))).strings());

        // the same values through the JSON path (which has one NaN) come back as the same bytes
        List<Tensor> canonical = everyType(3, true);
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        InferJson.writeRequest(req, new InferJson.Request("j", Map.of(), canonical, List.of()));
        Http.Answer j = Http.post(e, "/models/echo/infer", req.toString(StandardCharsets.UTF_8), null);
        assertEquals(200, j.status(), j.body());
        List<Tensor> viaJson = InferJson.readResponse(new ByteArrayInputStream(j.body().getBytes(StandardCharsets.UTF_8))).outputs();
        StringBuilder json2 = new StringBuilder("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[");
        ByteArrayOutputStream data2 = new ByteArrayOutputStream();
        for (Tensor t : canonical) {
            byte[] b = Http.bytes(t);
            json2.append(data2.size() == 0 ? "" : ",").append(Http.binaryInput(t.name(), t.type().protocolName(), t.shape(), b.length));
            data2.write(b);
        }
        Map<String, byte[]> viaBinary = Http.postBinary(e, "/models/echo/infer", json2.append("]}").toString(), data2.toByteArray()).binaryOutputs();
        for (Tensor t : viaJson) {
            assertArrayEquals(Http.bytes(t), viaBinary.get(t.name()), t.type() + ": JSON and binary paths agree");
        }
    }

    @Test
    void jsonAndBinaryMixInOneMessage() throws Exception {
        // even types binary, odd ones JSON, in; outputs: the odd ones binary by their own parameter, the even ones JSON
        // by theirs, which wins over the request's binary_data_output
        List<Tensor> tensors = everyType(9, true);
        StringBuilder json = new StringBuilder("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        StringBuilder outputs = new StringBuilder();
        for (Tensor t : tensors) {
            boolean binaryIn = t.type().ordinal() % 2 == 0;
            json.append(t.type().ordinal() == 0 ? "" : ",");
            if (binaryIn) {
                byte[] b = Http.bytes(t);
                json.append(Http.binaryInput(t.name(), t.type().protocolName(), t.shape(), b.length));
                data.write(b);
            } else {
                ByteArrayOutputStream one = new ByteArrayOutputStream();
                try (var g = InferJson.MAPPER.createGenerator(one)) {
                    TensorJson.writeTensor(g, t);
                }
                json.append(one.toString(StandardCharsets.UTF_8));
            }
            outputs.append(outputs.isEmpty() ? "" : ",").append("{\"name\":\"").append(t.name()).append("\",\"parameters\":{\"binary_data\":")
                    .append(!binaryIn).append("}}");
        }
        json.append("],\"outputs\":[").append(outputs).append("]}");
        Http.Raw a = Http.postBinary(echo.address(), "/models/echo/infer", json.toString(), data.toByteArray());
        assertEquals(200, a.status(), new String(a.body(), StandardCharsets.UTF_8));
        for (JsonNode o : a.head().path("outputs")) {
            boolean odd = TensorType.valueOf(o.path("name").asText().toUpperCase()).ordinal() % 2 == 1;
            assertEquals(odd, o.path("parameters").has("binary_data_size"), o.toString());
            assertEquals(!odd, o.has("data"), o.toString());
        }
        // and the production reader makes the same tensors of it
        long h = Long.parseLong(a.header("Inference-Header-Content-Length"));
        List<Tensor> back = InferJson.readResponse(new ByteArrayInputStream(a.body()), h, a.body().length - h).outputs();
        for (int i = 0; i < tensors.size(); i++) {
            assertEquals(tensors.get(i).name(), back.get(i).name());
            assertArrayEquals(tensors.get(i).shape(), back.get(i).shape());
            assertArrayEquals(Http.bytes(tensors.get(i)), Http.bytes(back.get(i)), tensors.get(i).name());
        }
    }

    private static final String INFER = "/models/style-cartoon/infer";
    private static final long[] SHAPE = {1, 2, 2, 3};

    private static String request(long size) {
        return "{\"inputs\":[" + Http.binaryInput("frames", "UINT8", SHAPE, size) + "]}";
    }

    private static void refused(int status, Http.Raw a, String... expected) throws Exception {
        assertEquals(status, a.status(), new String(a.body(), StandardCharsets.UTF_8));
        String error = a.error();
        for (String e : expected) {
            assertTrue(error.contains(e), "'" + e + "' in: " + error);
        }
        // and the server serves on
        Http.Raw ok = Http.postBinary(v2, INFER, request(12), new byte[12]);
        assertEquals(200, ok.status(), new String(ok.body(), StandardCharsets.UTF_8));
    }

    @Test
    void malformedBinaryRequestsAre400NamingTheProblem() throws Exception {
        byte[] twelve = new byte[12];
        String json = request(12);
        int jl = json.getBytes(StandardCharsets.UTF_8).length;
        refused(400, Http.postBinary(v2, INFER, json, twelve, "100000", false), "Inference-Header-Content-Length of 100000 bytes goes beyond the body of "
                + (jl + 12) + " bytes");
        refused(400, Http.postBinary(v2, INFER, json, twelve, "12x", false), "Inference-Header-Content-Length must be a number");
        refused(400, Http.postBinary(v2, INFER, json, twelve, "0", false), "must be a positive number");
        // the sizes do not add up to what follows the JSON
        refused(400, Http.postBinary(v2, INFER, json, new byte[13]), "'frames' 12", "add up to 12 bytes, but 13 bytes follow");
        refused(400, Http.postBinary(v2, INFER, json, new byte[11]), "add up to 12 bytes, but 11 bytes follow");
        // a size that does not fit the shape
        refused(400, Http.postBinary(v2, INFER, request(10), new byte[10]), "input tensor 'frames' UINT8[1, 2, 2, 3] needs 12 bytes of binary data",
                "binary_data_size is 10");
        // binary data without the header
        refused(400, Http.postBinary(v2, INFER, json, twelve, null, false), "input tensor 'frames' has binary data", "Inference-Header-Content-Length");
        // a header length that cuts the JSON, or takes in binary bytes
        refused(400, Http.postBinary(v2, INFER, json, twelve, Integer.toString(jl - 5), false), "malformed JSON");
        refused(400, Http.postBinary(v2, INFER, json, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Integer.toString(jl + 7), false),
                "data after its JSON object");
        refused(400, Http.postBinary(v2, INFER, json.replace("}}]}", "},\"data\":[1]}]}"), twelve), "'frames' has both \"data\" and binary data");
        refused(400, Http.postBinary(v2, INFER, request(-1), twelve), "'frames' parameter \"binary_data_size\" must be a non-negative integer");
        refused(400, Http.postBinary(v2, INFER, json.replace("]}", "],\"parameters\":{\"binary_data_output\":\"yes\"}}"), twelve),
                "'binary_data_output' must be true or false");
        refused(400, Http.postBinary(v2, INFER, json.replace("]}", "],\"outputs\":[{\"name\":\"frames\",\"parameters\":{\"binary_data\":1}}]}"), twelve),
                "\"binary_data\" must be true or false");
        // chunked: counted as read
        refused(400, Http.postBinary(v2, INFER, json, new byte[20], Integer.toString(jl), true), "the body goes on after the binary data");
        refused(400, Http.postBinary(v2, INFER, json, new byte[8], Integer.toString(jl), true), "'frames': the body ends after 8 of its 12 bytes");
        String big = "{\"inputs\":[" + Http.binaryInput("frames", "UINT8", new long[] {1, 1000, 1000, 3}, 3_000_000) + "]}";
        refused(400, Http.postBinary(v2, INFER, big, new byte[10], Integer.toString(big.length()), true), "add up to 3000000 bytes, more than");
        assertEquals(413, Http.postBinary(v2, INFER, json, twelve, Integer.toString(2 << 20), true).status());
        // BYTES whose framing does not hold
        ByteBuffer bad = ByteBuffer.allocate(7).order(ByteOrder.LITTLE_ENDIAN).putInt(100).put(new byte[3]);
        StringBuilder all = new StringBuilder("{\"inputs\":[");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Tensor t : everyType(1, true)) {
            byte[] b = t.type() == TensorType.BYTES ? bad.array() : Http.bytes(t);
            all.append(data.size() == 0 ? "" : ",").append(Http.binaryInput(t.name(), t.type().protocolName(), t.shape(), b.length));
            data.write(b);
        }
        Http.Raw a = Http.postBinary(echo.address(), "/models/echo/infer", all.append("]}").toString(), data.toByteArray());
        assertEquals(400, a.status());
        assertTrue(a.error().contains("input tensor 'bytes' BYTES element 0 claims 100 bytes"), a.error());
        assertEquals(0, server.admitted());
    }
}

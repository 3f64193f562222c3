package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinora serve} as a real process started the way the {@code kinora} script starts it: a plain HTTP client runs
 * the models through it and gets exactly what the same models give when run locally (the inference service of the
 * in-process runtime), and Ctrl-C stops it cleanly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The model store both the served process and the in-process runtime use (set for the tests by the pom). */
    private static final Path MODELS = Path.of(System.getProperty("kinora.models",
            System.getProperty("user.home") + "/.cache/kinora/test-models"));
    private static final List<String> STORE_MODELS = List.of("movenet-lightning", "minilm-l6-v2");
    private static final Pattern SERVING = Pattern.compile("serving (\\d+) models on (http://\\S+/v2)");

    @TempDir
    static Path dir;

    static Process serve;
    static URI v2;
    static int models;

    @BeforeAll
    static void startServer() throws Exception {
        for (String id : STORE_MODELS) {
            assertTrue(Files.isRegularFile(MODELS.resolve(id).resolve("card.json")), "test model " + id + " missing in " + MODELS
                    + ": the inference module's tests fetch it (mvn install runs them first), or: KINORA_MODELS=" + MODELS
                    + " ./kinora models fetch " + id);
        }
        serve = KinoraServe.start(dir, MODELS);
        Matcher m = KinoraServe.await(serve, dir, SERVING);
        if (m != null) {
            models = Integer.parseInt(m.group(1));
            v2 = URI.create(m.group(2));
            return;
        }
        throw new AssertionError("kinora serve did not say where it listens: " + logs());
    }

    @AfterAll
    static void stopServer() {
        if (serve != null && serve.isAlive()) {
            serve.destroyForcibly();
        }
    }

    private static String logs() throws Exception {
        return KinoraServe.logs(dir);
    }

    private static JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(v2 + path)).timeout(Duration.ofSeconds(120));
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    @Order(1)
    void listensOnLoopbackAndDescribesItsModels() throws Exception {
        assertTrue(v2.toString().startsWith("http://127.0.0.1:"), v2.toString());
        assertEquals("kinora", call("GET", "", null, 200).path("name").asText());
        assertTrue(call("GET", "/health/ready", null, 200).path("ready").asBoolean());
        JsonNode index = call("POST", "/repository/index", "{}", 200);
        assertEquals(models, index.size());
        List<String> names = new ArrayList<>();
        index.forEach(e -> names.add(e.path("name").asText()));
        assertTrue(names.containsAll(List.of("style-cartoon", "style-pencil", "style-paint")), names.toString());
        JsonNode meta = call("GET", "/models/style-pencil", null, 200);
        assertEquals("UINT8", meta.path("inputs").get(0).path("datatype").asText());
        assertEquals(404, HTTP.send(HttpRequest.newBuilder(URI.create(v2 + "/models/nope")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    @Order(2)
    void modelCallsGiveWhatTheLocalServiceGives() throws Exception {
        Object local = SharedRuntime.get().waitForService(
                "(&(objectClass=org.kinora.core.inference.InferenceService)(kinora.inference.backend=local))", 30_000);
        assertNotNull(local, "the local inference service is registered with kinora.inference.backend=local");
        LocalModels runner = new LocalModels(local);
        for (String model : List.of("style-cartoon", "style-pencil", "style-paint")) {
            int n = 2;
            int h = 45;
            int w = 61;
            byte[] frames = new byte[n * h * w * 3];
            new Random(model.hashCode()).nextBytes(frames);
            ObjectNode req = JSON.createObjectNode();
            req.put("id", "itest-" + model);
            req.putObject("parameters").put("strength", 0.7).put("priority", "interactive");
            ObjectNode in = req.putArray("inputs").addObject();
            in.put("name", "frames");
            in.putArray("shape").add(n).add(h).add(w).add(3);
            in.put("datatype", "UINT8");
            ArrayNode data = in.putArray("data");
            for (byte b : frames) {
                data.add(b & 0xff);
            }
            JsonNode resp = call("POST", "/models/" + model + "/infer", JSON.writeValueAsString(req), 200);
            assertEquals(model, resp.path("model_name").asText());
            assertEquals("itest-" + model, resp.path("id").asText());
            JsonNode out = resp.path("outputs").get(0);
            assertEquals("frames", out.path("name").asText());
            assertEquals("[2,45,61,3]", out.path("shape").toString());
            byte[] served = new byte[out.path("data").size()];
            for (int i = 0; i < served.length; i++) {
                served[i] = (byte) out.path("data").get(i).asInt();
            }
            byte[] expected = runner.run(model, frames, new long[] {n, h, w, 3}, Map.of("strength", 0.7));
            assertEquals(frames.length, expected.length);
            assertArrayEquals(expected, served, model + ": served result equals the local one");
        }
        // a bad request is answered, and the server serves on
        JsonNode err = call("POST", "/models/style-cartoon/infer", "{\"inputs\": [{\"name\": \"frames\"", 400);
        assertTrue(err.path("error").asText().contains("malformed JSON"), err.toString());
    }

    @Test
    @Order(3)
    void storeModelsThroughTheServerGiveWhatTheLocalServiceGives() throws Exception {
        Object local = SharedRuntime.get().waitForService(
                "(&(objectClass=org.kinora.core.inference.InferenceService)(kinora.inference.backend=local))", 30_000);
        LocalModels runner = new LocalModels(local);
        JsonNode index = call("POST", "/repository/index", "{}", 200);
        List<String> names = new ArrayList<>();
        index.forEach(e -> names.add(e.path("name").asText()));
        assertTrue(names.containsAll(STORE_MODELS), "store models served: " + names);
        assertEquals("[-1,17,3]", call("GET", "/models/movenet-lightning", null, 200).path("outputs").get(0).path("shape").toString());

        // MoveNet on a frame: FP32 keypoints, bit for bit as a local call gives them
        int h = 120;
        int w = 160;
        byte[] frame = new byte[h * w * 3];
        new Random(7).nextBytes(frame);
        ObjectNode req = JSON.createObjectNode();
        ObjectNode in = req.putArray("inputs").addObject();
        in.put("name", "image").put("datatype", "UINT8");
        in.putArray("shape").add(1).add(h).add(w).add(3);
        ArrayNode data = in.putArray("data");
        for (byte b : frame) {
            data.add(b & 0xff);
        }
        JsonNode out = call("POST", "/models/movenet-lightning/infer", JSON.writeValueAsString(req), 200).path("outputs").get(0);
        assertEquals("keypoints", out.path("name").asText());
        assertEquals("FP32", out.path("datatype").asText());
        assertEquals("[1,17,3]", out.path("shape").toString());
        ByteBuffer expected = ByteBuffer.wrap(runner.run("movenet-lightning", "image", "UINT8", ByteBuffer.wrap(frame),
                new long[] {1, h, w, 3}, Map.of())).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(17 * 3 * 4, expected.remaining());
        for (int i = 0; i < 17 * 3; i++) {
            assertEquals(expected.getFloat(i * 4), (float) out.path("data").get(i).asDouble(), 0f, "keypoint value " + i);
        }

        // MiniLM on text (BYTES in, FP32 out)
        List<String> sentences = List.of("A man is playing a guitar.", "Someone plays the guitar.");
        ObjectNode treq = JSON.createObjectNode();
        ObjectNode tin = treq.putArray("inputs").addObject();
        tin.put("name", "text").put("datatype", "BYTES");
        tin.putArray("shape").add(2);
        ArrayNode texts = tin.putArray("data");
        sentences.forEach(texts::add);
        JsonNode emb = call("POST", "/models/minilm-l6-v2/infer", JSON.writeValueAsString(treq), 200).path("outputs").get(0);
        assertEquals("[2,384]", emb.path("shape").toString());
        ByteBuffer strings = ByteBuffer.allocate(1024).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (String t : sentences) {
            byte[] b = t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            strings.putInt(b.length).put(b);
        }
        ByteBuffer localEmb = ByteBuffer.wrap(runner.run("minilm-l6-v2", "text", "BYTES", strings.flip(), new long[] {2}, Map.of()))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(2 * 384 * 4, localEmb.remaining());
        for (int i = 0; i < 2 * 384; i++) {
            assertEquals(localEmb.getFloat(i * 4), (float) emb.path("data").get(i).asDouble(), 0f, "embedding value " + i);
        }
    }

    /** An answer with binary tensor data: its JSON part and the outputs' bytes in order. */
    private record Binary(int status, String contentType, JsonNode head, List<byte[]> outputs) {
    }

    /**
     * Posts a request laid out as Triton's binary tensor data extension has it: the JSON, then the inputs' bytes, the
     * JSON's length in Inference-Header-Content-Length; every output asked for as binary data.
     */
    private static Binary binaryCall(String model, String inputsJson, byte[] data) throws Exception {
        byte[] json = ("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[" + inputsJson + "]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOf(json, json.length + data.length);
        System.arraycopy(data, 0, body, json.length, data.length);
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(v2 + "/models/" + model + "/infer")).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/octet-stream").header("Inference-Header-Content-Length", Integer.toString(json.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() != 200) {
            return new Binary(r.statusCode(), type, JSON.readTree(r.body()), List.of());
        }
        int h = Integer.parseInt(r.headers().firstValue("Inference-Header-Content-Length").orElseThrow());
        JsonNode head = JSON.readTree(java.util.Arrays.copyOf(r.body(), h));
        List<byte[]> outs = new ArrayList<>();
        int off = h;
        for (JsonNode o : head.path("outputs")) {
            int n = o.path("parameters").path("binary_data_size").asInt(-1);
            assertTrue(n >= 0 && !o.has("data"), "binary output: " + o);
            outs.add(java.util.Arrays.copyOfRange(r.body(), off, off + n));
            off += n;
        }
        assertEquals(r.body().length, off, "the binary outputs fill the body");
        return new Binary(r.statusCode(), type, head, outs);
    }

    private static String binaryInput(String name, String datatype, String shape, int size) {
        return "{\"name\":\"" + name + "\",\"datatype\":\"" + datatype + "\",\"shape\":" + shape + ",\"parameters\":{\"binary_data_size\":" + size + "}}";
    }

    @Test
    @Order(3)
    void binaryTensorDataGivesTheSameBytesAsALocalCall() throws Exception {
        assertTrue(call("GET", "", null, 200).path("extensions").toString().contains("\"binary_tensor_data\""));
        Object local = SharedRuntime.get().waitForService(
                "(&(objectClass=org.kinora.core.inference.InferenceService)(kinora.inference.backend=local))", 30_000);
        LocalModels runner = new LocalModels(local);

        byte[] frames = new byte[2 * 45 * 61 * 3];
        new Random(17).nextBytes(frames);
        Binary pencil = binaryCall("style-pencil", binaryInput("frames", "UINT8", "[2,45,61,3]", frames.length), frames);
        assertEquals(200, pencil.status(), String.valueOf(pencil.head()));
        assertEquals("application/octet-stream", pencil.contentType());
        assertEquals("[2,45,61,3]", pencil.head().path("outputs").get(0).path("shape").toString());
        assertArrayEquals(runner.run("style-pencil", frames, new long[] {2, 45, 61, 3}, Map.of()), pencil.outputs().get(0));

        // MoveNet: FP32 keypoints, bit for bit
        byte[] frame = new byte[120 * 160 * 3];
        new Random(8).nextBytes(frame);
        Binary pose = binaryCall("movenet-lightning", binaryInput("image", "UINT8", "[1,120,160,3]", frame.length), frame);
        assertEquals(200, pose.status(), String.valueOf(pose.head()));
        assertEquals("FP32", pose.head().path("outputs").get(0).path("datatype").asText());
        assertArrayEquals(runner.run("movenet-lightning", "image", "UINT8", ByteBuffer.wrap(frame), new long[] {1, 120, 160, 3}, Map.of()),
                pose.outputs().get(0));

        // MiniLM: BYTES in as 4-byte little-endian lengths and UTF-8, FP32 out
        ByteBuffer text = ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (String t : List.of("A man is playing a guitar.", "Grüße, 世界")) {
            byte[] b = t.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            text.putInt(b.length).put(b);
        }
        byte[] strings = java.util.Arrays.copyOf(text.array(), text.position());
        Binary emb = binaryCall("minilm-l6-v2", binaryInput("text", "BYTES", "[2]", strings.length), strings);
        assertEquals(200, emb.status(), String.valueOf(emb.head()));
        assertEquals("[2,384]", emb.head().path("outputs").get(0).path("shape").toString());
        assertArrayEquals(runner.run("minilm-l6-v2", "text", "BYTES", ByteBuffer.wrap(strings), new long[] {2}, Map.of()), emb.outputs().get(0));

        // sizes that do not fit the shape: refused, naming the input, and the server serves on
        Binary bad = binaryCall("style-pencil", binaryInput("frames", "UINT8", "[2,45,61,3]", 100), new byte[100]);
        assertEquals(400, bad.status());
        assertTrue(bad.head().path("error").asText().contains("'frames'"), bad.head().toString());
        assertEquals(200, binaryCall("style-pencil", binaryInput("frames", "UINT8", "[2,45,61,3]", frames.length), frames).status());
    }

    @Test
    @Order(4)
    void helpAndRefusals() throws Exception {
        SharedRuntime.Result help = SharedRuntime.cli("serve", "--help");
        assertEquals(0, help.exit(), help.all());
        assertTrue(help.out().startsWith("Usage: kinora serve"), help.out());
        for (String s : List.of("/v2/models/ID/infer", "/v2/repository/index", "/v2/health/live", "KINORA_INFERENCE_URL", "KINORA_TOKEN")) {
            assertTrue(help.out().contains(s), s + " in: " + help.out());
        }
        SharedRuntime.Result open = SharedRuntime.cli("serve", "--host", "0.0.0.0", "--port", "0", "--token", "");
        assertEquals(1, open.exit(), open.all());
        assertTrue(open.err().contains("kinora: error: refusing to listen on 0.0.0.0 without a token"), open.err());
        SharedRuntime.Result busy = SharedRuntime.cli("serve", "--port", Integer.toString(v2.getPort()));
        assertEquals(1, busy.exit(), busy.all());
        assertTrue(busy.err().contains("cannot listen on 127.0.0.1:" + v2.getPort()), busy.err());
    }

    @Test
    @Order(5)
    void anotherKinoraSendsItsModelCallsHere() throws Exception {
        String[] demo = {"demo", "--width", "160", "--height", "90", "--seconds", "0.4", "--no-render", "--dir"};
        Run ok = kinora(v2.toString(), dir.resolve("remote-demo"), demo);
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(Files.size(dir.resolve("remote-demo/demo-styled.mlt")) > 0);
        // proof that the calls went to the URL: with nothing listening there the same demo fails, naming it
        Run down = kinora("http://127.0.0.1:1", dir.resolve("no-server-demo"), demo);
        assertEquals(1, down.exit(), down.out() + down.err());
        assertTrue(down.err().contains("model 'style-cartoon' on http://127.0.0.1:1 failed"), down.err());
    }

    private record Run(int exit, String out, String err) {
    }

    /** Runs {@code kinora args... folder} as a process whose model calls go to {@code url}. */
    private static Run kinora(String url, Path folder, String... args) throws Exception {
        Path home = Path.of(System.getProperty("kinora.home", "../runtime/target/kinora"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-jar", home.resolve("lib/kinora-launcher.jar").toString()));
        cmd.addAll(List.of(args));
        cmd.add(folder.toString());
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("KINORA_INFERENCE_URL", url);
        Process p = pb.start();
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "kinora " + String.join(" ", args) + " finished");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    @Order(6)
    void ctrlCStopsItCleanly() throws Exception {
        new ProcessBuilder("kill", "-INT", Long.toString(serve.pid())).start().waitFor();
        assertTrue(serve.waitFor(60, TimeUnit.SECONDS), "serve stopped after Ctrl-C: " + logs());
        assertEquals(130, serve.exitValue(), logs());
        assertTrue(Files.readString(dir.resolve("stderr.txt")).contains("kinora: stopped serving"), logs());
    }

    /** Runs a model on the in-process runtime's local inference service (its API types live in the framework's class space). */
    private static final class LocalModels {
        private final Object service;
        private final Class<?> tensor;
        private final Class<?> type;
        private final Class<?> request;
        private final Class<?> priority;
        private final Class<?> serviceType;

        LocalModels(Object service) throws Exception {
            this.service = service;
            ClassLoader cl = service.getClass().getClassLoader();
            tensor = cl.loadClass("org.kinora.core.inference.Tensor");
            type = cl.loadClass("org.kinora.core.inference.TensorType");
            request = cl.loadClass("org.kinora.core.inference.InferenceRequest");
            priority = cl.loadClass("org.kinora.core.inference.Priority");
            serviceType = cl.loadClass("org.kinora.core.inference.InferenceService");
        }

        byte[] run(String model, byte[] frames, long[] shape, Map<String, Object> parameters) throws Exception {
            return run(model, "frames", "UINT8", ByteBuffer.wrap(frames), shape, parameters);
        }

        /** The first output's bytes of a local call with one input tensor. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        byte[] run(String model, String input, String datatype, ByteBuffer bytes, long[] shape, Map<String, Object> parameters)
                throws Exception {
            Object t = tensor.getConstructor(String.class, type, long[].class, ByteBuffer.class)
                    .newInstance(input, Enum.valueOf((Class) type, datatype), shape, bytes);
            Object r = request.getConstructor(String.class, List.class, Map.class, String.class, priority)
                    .newInstance(model, List.of(t), parameters, "itest", Enum.valueOf((Class) priority, "INTERACTIVE"));
            Object result = serviceType.getMethod("infer", request).invoke(service, r);
            List<?> outputs = (List<?>) result.getClass().getMethod("outputs").invoke(result);
            ByteBuffer data = ((ByteBuffer) tensor.getMethod("data").invoke(outputs.get(0))).duplicate();
            byte[] out = new byte[data.remaining()];
            data.get(out);
            return out;
        }
    }
}

package org.kinora.serve.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/** Plain HTTP for the tests: the JDK client, and raw sockets for requests no well-behaved client sends. */
final class Http {

    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return InferJson.MAPPER.readTree(body);
        }

        String error() throws IOException {
            return json().path("error").asText();
        }
    }

    static Answer get(URI v2, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(v2 + path)).timeout(Duration.ofSeconds(60)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    static Answer post(URI v2, String path, String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(v2 + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** Sends raw bytes on a fresh connection and returns the status line's code (-1 when the server closed without one). */
    static int raw(URI v2, byte[] request) throws IOException {
        try (Socket s = new Socket(v2.getHost(), v2.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            return status(s.getInputStream());
        }
    }

    static int status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.write(c);
        }
        String l = line.toString(StandardCharsets.ISO_8859_1);
        if (!l.startsWith("HTTP/1.1 ")) {
            return -1;
        }
        return Integer.parseInt(l.substring(9, 12));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Random RGB frames {@code UINT8 [n, h, w, 3]}. */
    static Tensor frames(long seed, int n, int h, int w) {
        byte[] b = new byte[n * h * w * 3];
        new Random(seed).nextBytes(b);
        return new Tensor("frames", TensorType.UINT8, new long[] {n, h, w, 3}, ByteBuffer.wrap(b));
    }

    /** An inference request body for {@code t} with the given parameters (JSON fragments). */
    static String inferBody(String id, Tensor t, String parameters) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InferJson.writeRequest(out, new InferJson.Request(id, parameters == null ? java.util.Map.of()
                : InferJson.MAPPER.readValue(parameters, java.util.Map.class), java.util.List.of(t), java.util.List.of()));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** An answer as bytes, with its headers. */
    record Raw(int status, java.net.http.HttpHeaders headers, byte[] body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The JSON part: the whole body, or its first Inference-Header-Content-Length bytes. */
        JsonNode head() throws IOException {
            String h = header("Inference-Header-Content-Length");
            return h == null ? InferJson.MAPPER.readTree(body) : InferJson.MAPPER.readTree(body, 0, Integer.parseInt(h));
        }

        String error() throws IOException {
            return head().path("error").asText();
        }

        /**
         * The outputs' data, by name, read as the extension lays it out (written out here, apart from the production
         * codec): binary ones in order after the JSON part, JSON ones left out.
         */
        java.util.Map<String, byte[]> binaryOutputs() throws IOException {
            int off = Integer.parseInt(header("Inference-Header-Content-Length"));
            java.util.Map<String, byte[]> out = new java.util.LinkedHashMap<>();
            for (JsonNode o : head().path("outputs")) {
                JsonNode size = o.path("parameters").path("binary_data_size");
                if (!size.isMissingNode()) {
                    if (o.has("data")) {
                        throw new AssertionError("output " + o.path("name") + " has both data and binary_data_size");
                    }
                    out.put(o.path("name").asText(), java.util.Arrays.copyOfRange(body, off, off + size.asInt()));
                    off += size.asInt();
                }
            }
            if (off != body.length) {
                throw new AssertionError("binary outputs end at " + off + ", the body at " + body.length);
            }
            return out;
        }
    }

    /**
     * Posts {@code json} followed by {@code binary} with the Inference-Header-Content-Length header (unless
     * {@code headerLength} is null: then none; a number: that one), with a declared length or chunked.
     */
    static Raw postBinary(URI v2, String path, String json, byte[] binary, String headerLength, boolean chunked)
            throws IOException, InterruptedException {
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOf(head, head.length + binary.length);
        System.arraycopy(binary, 0, body, head.length, binary.length);
        HttpRequest.BodyPublisher p = HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(v2 + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream").POST(chunked ? HttpRequest.BodyPublishers.fromPublisher(p) : p);
        if (headerLength != null) {
            b.header("Inference-Header-Content-Length", headerLength);
        }
        HttpResponse<byte[]> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Raw(r.statusCode(), r.headers(), r.body());
    }

    /** The same with the right header length. */
    static Raw postBinary(URI v2, String path, String json, byte[] binary) throws IOException, InterruptedException {
        return postBinary(v2, path, json, binary, Integer.toString(json.getBytes(StandardCharsets.UTF_8).length), false);
    }

    /** An input's JSON with its data left for the binary part. */
    static String binaryInput(String name, String datatype, long[] shape, long size) {
        return "{\"name\":\"" + name + "\",\"shape\":" + java.util.Arrays.toString(shape).replace(" ", "") + ",\"datatype\":\"" + datatype
                + "\",\"parameters\":{\"binary_data_size\":" + size + "}}";
    }

    static byte[] bytes(Tensor t) {
        ByteBuffer b = t.data().duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}

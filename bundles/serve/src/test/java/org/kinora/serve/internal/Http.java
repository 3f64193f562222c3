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

    static byte[] bytes(Tensor t) {
        ByteBuffer b = t.data().duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}

package org.kinora.serve.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.inference.internal.InferenceServiceImpl;

/**
 * A client that stops sending in the middle of its request (a stalled upload, or a slow-loris) must not hold its
 * admission slot for ever: the server cuts it after the request-reading bound (5 s in this module's tests, set by the
 * pom; 300 s by default) and serves the next client.
 */
class StalledClientTest {

    static InferenceServiceImpl local;

    @BeforeAll
    static void start() {
        local = new InferenceServiceImpl();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void aStalledUploadIsCutAfterTheBoundAndTheServerServesOn() throws Exception {
        assertEquals("5", System.getProperty("sun.net.httpserver.maxReqTime"), "the pom sets a 5 s bound for this test");
        try (OipServer server = OipServer.start(local, new OipServer.Limits(1, 1, 64L << 20), "127.0.0.1", 0, null)) {
            URI v2 = server.address();
            Tensor frames = Http.frames(5, 1, 24, 32);
            String body = Http.inferBody("stalled", frames, "{\"strength\": 1.0}");
            try (Socket stalled = new Socket(v2.getHost(), v2.getPort())) {
                stalled.getOutputStream().write(Http.ascii("POST " + v2.getPath() + "/models/style-pencil/infer HTTP/1.1\r\nHost: "
                        + v2.getHost() + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                        + body.substring(0, 40)));
                stalled.getOutputStream().flush();
                long t0 = System.nanoTime();
                waitFor(() -> server.admitted() == 1, 10_000);

                // it holds the only running slot: the server closes it once the bound has passed
                stalled.setSoTimeout(30_000);
                InputStream in = stalled.getInputStream();
                int first;
                try {
                    byte[] answer = in.readAllBytes();
                    first = answer.length == 0 ? -1 : answer[0];
                } catch (IOException reset) {
                    first = -1;
                }
                double waited = (System.nanoTime() - t0) / 1e9;
                assertTrue(waited >= 4 && waited < 25, "cut after the 5 s bound, not before and not much later: " + waited + " s");
                assertTrue(first == -1 || (char) first == 'H', "the stalled connection was closed (or answered an error)");
                waitFor(() -> server.admitted() == 0, 10_000);
            }

            // the next client is served, with its own answer
            Http.Answer ok = Http.post(v2, "/models/style-pencil/infer", Http.inferBody("next", frames, "{\"strength\": 1.0}"), null);
            assertEquals(200, ok.status(), ok.body());
            InferJson.Response r = InferJson.readResponse(new java.io.ByteArrayInputStream(ok.body().getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals("next", r.id());
            byte[] expected = Http.bytes(local.infer(new InferenceRequest("style-pencil", List.of(frames), Map.of("strength", 1.0), null,
                    Priority.BATCH)).outputs().get(0));
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, Http.bytes(r.outputs().get(0)));
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + millis + " ms");
            }
            Thread.sleep(20);
        }
    }
}

package org.kinora.serve.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.inference.internal.InferenceServiceImpl;

/**
 * Many clients at once, and clients that misbehave: every answer belongs to its own request, the in-flight bound holds,
 * memory does not grow with the number of requests, and the server keeps serving after every fault.
 */
class LoadAndFaultTest {

    static final String[] MODELS = {"style-cartoon", "style-pencil", "style-paint"};
    static InferenceServiceImpl local;

    @BeforeAll
    static void start() {
        local = new InferenceServiceImpl();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    /** One client's request and what the local service makes of the same input. */
    private record Call(String id, String model, Tensor frames, double strength) {
        String body() throws IOException {
            return Http.inferBody(id, frames, "{\"strength\": " + strength + "}");
        }

        /** The JSON part of the same request with binary frames and a binary answer asked for. */
        String binaryHead() {
            return "{\"id\":\"" + id + "\",\"parameters\":{\"strength\":" + strength + ",\"binary_data_output\":true},\"inputs\":["
                    + Http.binaryInput("frames", "UINT8", frames.shape(), Http.bytes(frames).length) + "]}";
        }

        byte[] expected() throws Exception {
            return Http.bytes(local.infer(new InferenceRequest(model, List.of(frames), Map.of("strength", strength), null, Priority.BATCH))
                    .outputs().get(0));
        }
    }

    private static Call call(int client, int i) {
        int h = 6 + (client * 7 + i * 3) % 19;
        int w = 5 + (client * 5 + i * 11) % 23;
        return new Call("c" + client + "-r" + i, MODELS[(client + i) % 3], Http.frames(client * 1000L + i, 1, h, w),
                ((client * 13 + i * 7) % 11) / 10.0);
    }

    /** {@code clients} threads, {@code each} requests apiece, all checked against their own expected output. */
    private static void load(URI v2, int clients, int each) throws Exception {
        load(v2, clients, each, false);
    }

    /** The same, with the tensors as JSON or, with {@code binary}, as binary data both ways. */
    private static void load(URI v2, int clients, int each, boolean binary) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit((Callable<Integer>) () -> {
                    go.await();
                    int ok = 0;
                    for (int i = 0; i < each; i++) {
                        Call call = call(client, i);
                        if (binary) {
                            Http.Raw a = Http.postBinary(v2, "/models/" + call.model() + "/infer", call.binaryHead(), Http.bytes(call.frames()));
                            assertEquals(200, a.status(), call.id() + ": " + new String(a.body(), StandardCharsets.UTF_8));
                            assertEquals(call.id(), a.head().path("id").asText());
                            assertEquals(call.model(), a.head().path("model_name").asText());
                            assertArrayEquals(call.expected(), a.binaryOutputs().get("frames"), call.id() + ": content of its own request");
                            ok++;
                            continue;
                        }
                        Http.Answer a = Http.post(v2, "/models/" + call.model() + "/infer", call.body(), null);
                        assertEquals(200, a.status(), call.id() + ": " + a.body());
                        InferJson.Response r = InferJson.readResponse(new ByteArrayInputStream(a.body().getBytes(StandardCharsets.UTF_8)));
                        assertEquals(call.id(), r.id());
                        assertEquals(call.model(), r.modelName());
                        assertArrayEquals(call.frames().shape(), r.outputs().get(0).shape(), call.id());
                        assertArrayEquals(call.expected(), Http.bytes(r.outputs().get(0)), call.id() + ": content of its own request");
                        ok++;
                    }
                    return ok;
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            assertEquals(clients * each, total, "every request answered once");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyClientsEachGetTheirOwnAnswerAndMemoryStaysFlat() throws Exception {
        try (OipServer server = OipServer.start(local, new OipServer.Limits(4, 64, 64L << 20), "127.0.0.1", 0, null)) {
            load(server.address(), 32, 3); // warm-up: engine, JIT, connection pools
            long first = settledHeap();
            load(server.address(), 32, 6);
            long second = settledHeap();
            load(server.address(), 32, 6);
            long third = settledHeap();
            System.out.printf("heap after load: %d MB, %d MB, %d MB%n", first >> 20, second >> 20, third >> 20);
            assertTrue(third - second < 48L << 20 && second - first < 48L << 20,
                    "heap does not grow with the number of requests: " + (first >> 20) + " -> " + (second >> 20) + " -> " + (third >> 20) + " MB");
            assertEquals(0, server.admitted());
        }
    }

    @Test
    void manyClientsOverBinaryDataEachGetTheirOwnAnswerAndMemoryStaysFlat() throws Exception {
        try (OipServer server = OipServer.start(local, new OipServer.Limits(4, 64, 64L << 20), "127.0.0.1", 0, null)) {
            load(server.address(), 32, 3, true);
            long first = settledHeap();
            load(server.address(), 32, 6, true);
            long second = settledHeap();
            load(server.address(), 32, 6, true);
            long third = settledHeap();
            System.out.printf("heap after binary load: %d MB, %d MB, %d MB%n", first >> 20, second >> 20, third >> 20);
            assertTrue(third - second < 48L << 20 && second - first < 48L << 20,
                    "heap does not grow with the number of requests: " + (first >> 20) + " -> " + (second >> 20) + " -> " + (third >> 20) + " MB");
            assertEquals(0, server.admitted());
            assertEquals(32 * 15, server.binaryRequests());
        }
    }

    @Test
    void beyondTheBoundRequestsAreRefusedWith503AndTheRestAreRight() throws Exception {
        try (OipServer server = OipServer.start(local, new OipServer.Limits(1, 2, 64L << 20), "127.0.0.1", 0, null)) {
            int clients = 16;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger busy = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(pool.submit((Callable<Void>) () -> {
                    Call call = new Call("b" + client, "style-cartoon", Http.frames(client, 1, 120, 160), 0.8);
                    String body = call.body();
                    go.await();
                    Http.Answer a = Http.post(server.address(), "/models/style-cartoon/infer", body, null);
                    if (a.status() == 503) {
                        assertTrue(a.error().contains("busy"), a.body());
                        busy.incrementAndGet();
                    } else {
                        assertEquals(200, a.status(), a.body());
                        InferJson.Response r = InferJson.readResponse(new ByteArrayInputStream(a.body().getBytes(StandardCharsets.UTF_8)));
                        assertEquals(call.id(), r.id());
                        assertArrayEquals(call.expected(), Http.bytes(r.outputs().get(0)));
                        ok.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            System.out.printf("bound 1+2: %d answered, %d refused with 503%n", ok.get(), busy.get());
            assertEquals(clients, ok.get() + busy.get());
            assertTrue(ok.get() >= 1 && busy.get() >= 1, ok + " answered, " + busy + " refused");
            assertEquals(0, server.admitted());
        }
    }

    private static String head(URI v2, String model, String more) {
        return "POST /v2/models/" + model + "/infer HTTP/1.1\r\nHost: 127.0.0.1:" + v2.getPort() + "\r\nContent-Type: application/json\r\n"
                + more + "\r\n";
    }

    @Test
    void oversizedBodiesAre413AndTheServerServesOn() throws Exception {
        try (OipServer server = OipServer.start(local, new OipServer.Limits(2, 2, 1 << 20), "127.0.0.1", 0, null)) {
            URI v2 = server.address();
            // refused from the header alone: no body is ever sent, the answer comes anyway
            assertEquals(413, Http.raw(v2, Http.ascii(head(v2, "style-cartoon", "Content-Length: 100000000000\r\n"))));
            // chunked: counted while read
            try (Socket s = new Socket(v2.getHost(), v2.getPort())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(Http.ascii(head(v2, "style-cartoon", "Transfer-Encoding: chunked\r\n")));
                StringBuilder json = new StringBuilder("{\"inputs\":[{\"name\":\"frames\",\"shape\":[1,1000,1000,3],\"datatype\":\"UINT8\",\"data\":[0");
                while (json.length() < (1 << 20) + 20_000) {
                    json.append(",0");
                }
                byte[] b = json.toString().getBytes(StandardCharsets.US_ASCII);
                for (int off = 0; off < b.length; off += 32768) {
                    int n = Math.min(32768, b.length - off);
                    out.write(Http.ascii(Integer.toHexString(n) + "\r\n"));
                    out.write(b, off, n);
                    out.write(Http.ascii("\r\n"));
                }
                out.write(Http.ascii("0\r\n\r\n"));
                out.flush();
                assertEquals(413, Http.status(s.getInputStream()));
            }
            assertEquals(0, server.admitted());
            Call c = call(1, 1);
            Http.Answer a = Http.post(v2, "/models/" + c.model() + "/infer", c.body(), null);
            assertEquals(200, a.status(), a.body());
        }
    }

    @Test
    void clientsThatDisconnectAreDroppedAndTheServerServesOn() throws Exception {
        try (OipServer server = OipServer.start(local, new OipServer.Limits(1, 1, 64L << 20), "127.0.0.1", 0, null)) {
            URI v2 = server.address();
            Call big = new Call("gone", "style-cartoon", Http.frames(77, 1, 240, 320), 1.0);
            byte[] body = big.body().getBytes(StandardCharsets.UTF_8);

            // mid-body: holds the only slot while its body trickles in, a second waits, a third is refused; the
            // disconnects free both
            Socket a = new Socket(v2.getHost(), v2.getPort());
            a.getOutputStream().write(Http.ascii(head(v2, "style-cartoon", "Content-Length: " + body.length + "\r\n")));
            a.getOutputStream().write(body, 0, 1000);
            a.getOutputStream().flush();
            waitFor(() -> server.admitted() == 1);
            Socket b = new Socket(v2.getHost(), v2.getPort());
            b.getOutputStream().write(Http.ascii(head(v2, "style-cartoon", "Content-Length: " + body.length + "\r\n")));
            b.getOutputStream().write(body, 0, 10);
            b.getOutputStream().flush();
            waitFor(() -> server.admitted() == 2);
            Call c = call(2, 2);
            Http.Answer refused = Http.post(v2, "/models/" + c.model() + "/infer", c.body(), null);
            assertEquals(503, refused.status(), refused.body());
            a.close();
            b.close();
            waitFor(() -> server.admitted() == 0);

            // mid-request: the whole body sent, gone before the answer
            try (Socket d = new Socket(v2.getHost(), v2.getPort())) {
                d.getOutputStream().write(Http.ascii(head(v2, "style-cartoon", "Content-Length: " + body.length + "\r\n")));
                d.getOutputStream().write(body);
                d.getOutputStream().flush();
                waitFor(() -> server.admitted() == 1);
            }
            waitFor(() -> server.admitted() == 0);

            // a request line and half the headers, then gone
            try (Socket e = new Socket(v2.getHost(), v2.getPort())) {
                e.getOutputStream().write(Http.ascii("POST /v2/models/style-cartoon/infer HTTP/1.1\r\nHost: x\r\nContent-Le"));
                e.getOutputStream().flush();
            }

            for (int i = 0; i < 3; i++) {
                Call next = call(3, i);
                Http.Answer ok = Http.post(v2, "/models/" + next.model() + "/infer", next.body(), null);
                assertEquals(200, ok.status(), ok.body());
                InferJson.Response r = InferJson.readResponse(new ByteArrayInputStream(ok.body().getBytes(StandardCharsets.UTF_8)));
                assertEquals(next.id(), r.id());
                assertArrayEquals(next.expected(), Http.bytes(r.outputs().get(0)));
            }
            assertEquals(200, Http.get(v2, "/health/ready", null).status());
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }

    private static long settledHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}

package org.kinora.serve.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.inference.internal.InferenceServiceImpl;

/** The remote backend against a real server: the same models and byte-identical results as the local service. */
class RemoteInferenceServiceTest {

    static final String TOKEN = "remote-test-token";
    static InferenceServiceImpl local;
    static OipServer server;
    static RemoteInferenceService remote;

    @BeforeAll
    static void start() throws Exception {
        local = new InferenceServiceImpl();
        server = OipServer.start(local, OipServer.Limits.defaults(), "127.0.0.1", 0, TOKEN);
        remote = new RemoteInferenceService(server.address(), TOKEN);
    }

    @AfterAll
    static void stop() {
        remote.close();
        server.close();
        local.close();
    }

    @Test
    void listsTheServedModelsWithTheirTensors() throws Exception {
        List<ModelInfo> want = local.models();
        List<ModelInfo> got = remote.fetchModels();
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            ModelInfo w = want.get(i);
            ModelInfo g = got.get(i);
            assertEquals(w.id(), g.id());
            assertEquals(w.format(), g.format());
            assertEquals(w.task(), g.task());
            assertEquals(w.description(), g.description());
            assertEquals(w.inputs().size(), g.inputs().size());
            assertEquals(w.inputs().get(0).name(), g.inputs().get(0).name());
            assertEquals(w.inputs().get(0).type(), g.inputs().get(0).type());
            assertArrayEquals(w.inputs().get(0).shape(), g.inputs().get(0).shape());
            assertArrayEquals(w.outputs().get(0).shape(), g.outputs().get(0).shape());
        }
        String base = "http://127.0.0.1:" + server.address().getPort();
        assertEquals("remote(" + base + ")", remote.devices().get(0).id());
        // a URL with the /v2 suffix or a trailing slash is the same server
        try (RemoteInferenceService other = new RemoteInferenceService(URI.create(base + "/v2/"), TOKEN)) {
            assertEquals(want.size(), other.fetchModels().size());
        }
    }

    @Test
    void resultsAreByteIdenticalToTheLocalService() throws Exception {
        long before = server.binaryRequests();
        sameAsLocal(remote);
        assertEquals(before + 3L * styles().size(), server.binaryRequests(), "the tensors went as binary data");
    }

    @Test
    void overJsonToo() throws Exception {
        try (RemoteInferenceService json = new RemoteInferenceService(server.address(), TOKEN, false)) {
            long before = server.binaryRequests();
            sameAsLocal(json);
            assertEquals(before, server.binaryRequests(), "JSON only, as asked");
        }
        // the same by system property (KINORA_INFERENCE_BINARY in the environment)
        System.setProperty(RemoteInferenceService.BINARY_PROPERTY, "false");
        try (RemoteInferenceService json = new RemoteInferenceService(server.address(), TOKEN)) {
            long before = server.binaryRequests();
            sameAsLocal(json);
            assertEquals(before, server.binaryRequests(), "JSON only, as the property says");
        } finally {
            System.clearProperty(RemoteInferenceService.BINARY_PROPERTY);
        }
    }

    @Test
    void aServerWithoutTheExtensionGetsJson() throws Exception {
        try (OipServer plain = OipServer.start(local, OipServer.Limits.defaults(), "127.0.0.1", 0, TOKEN, false, null);
                RemoteInferenceService r = new RemoteInferenceService(plain.address(), TOKEN)) {
            assertEquals("[\"model_repository\"]", Http.get(plain.address(), "", TOKEN).json().path("extensions").toString());
            sameAsLocal(r);
            assertEquals(0, plain.binaryRequests());
        }
    }

    /** The built-in image-to-image styles: frames in, frames out, a strength parameter. */
    private static List<ModelInfo> styles() {
        return local.models().stream().filter(m -> m.id().startsWith("style-")).toList();
    }

    private static void sameAsLocal(RemoteInferenceService remote) throws Exception {
        for (ModelInfo m : styles()) {
            for (double strength : new double[] {0.0, 0.45, 1.0}) {
                Tensor frames = Http.frames(m.id().hashCode() + (long) (strength * 100), 2, 30, 41);
                InferenceRequest req = new InferenceRequest(m.id(), List.of(frames), Map.of("strength", strength), "job-" + m.id(),
                        Priority.INTERACTIVE);
                InferenceResult want = local.infer(req);
                InferenceResult got = remote.infer(req);
                assertEquals(m.id(), got.modelId());
                assertTrue(got.device().startsWith("remote(http://127.0.0.1:"), got.device());
                Tensor w = want.outputs().get(0);
                Tensor g = got.output("frames").orElseThrow();
                assertEquals(w.type(), g.type());
                assertArrayEquals(w.shape(), g.shape());
                assertArrayEquals(Http.bytes(w), Http.bytes(g), m.id() + " strength " + strength);
            }
        }
    }

    @Test
    void failuresComeBackAsInferenceExceptions() {
        Tensor frames = Http.frames(3, 1, 8, 8);
        InferenceException e = assertThrows(InvalidInferenceRequestException.class,
                () -> remote.infer(new InferenceRequest("teleport", List.of(frames), Map.of(), null, Priority.BATCH)));
        assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains("unknown model 'teleport'"), e.getMessage());
        // a parameter the model refuses is the request's fault on both sides of the wire, as it is locally
        assertThrows(InvalidInferenceRequestException.class,
                () -> local.infer(new InferenceRequest("style-cartoon", List.of(frames), Map.of("strength", 5), null, Priority.BATCH)));
        e = assertThrows(InvalidInferenceRequestException.class,
                () -> remote.infer(new InferenceRequest("style-cartoon", List.of(frames), Map.of("strength", 5), null, Priority.BATCH)));
        assertTrue(e.getMessage().contains("HTTP 400") && e.getMessage().contains("strength"), e.getMessage());
        try (RemoteInferenceService wrongToken = new RemoteInferenceService(server.address(), "guess")) {
            assertEquals(List.of(), wrongToken.models());
            e = assertThrows(InferenceException.class, wrongToken::fetchModels);
            assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
            assertTrue(!e.getMessage().contains("guess") && !e.getMessage().contains(TOKEN), "no token in messages: " + e.getMessage());
        }
        try (RemoteInferenceService nobody = new RemoteInferenceService(URI.create("http://127.0.0.1:1"), null)) {
            e = assertThrows(InferenceException.class, nobody::fetchModels);
            assertTrue(e.getMessage().contains("http://127.0.0.1:1"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new RemoteInferenceService(URI.create("ftp://x/"), null));
    }

    @Test
    void cancellingAJobAbortsItsCallsInFlight() throws Exception {
        // big enough to still be on its way when cancelled
        Tensor frames = Http.frames(9, 4, 360, 640);
        CompletableFuture<InferenceResult> f = remote.submit(new InferenceRequest("style-cartoon", List.of(frames), Map.of(), "job-x",
                Priority.BATCH));
        CompletableFuture<InferenceResult> other = remote.submit(new InferenceRequest("style-pencil", List.of(Http.frames(4, 1, 16, 16)),
                Map.of(), "job-y", Priority.BATCH));
        assertEquals(1, remote.cancel("job-x"));
        assertTrue(f.isCancelled());
        assertThrows(CancellationException.class, () -> f.get(1, TimeUnit.SECONDS));
        assertEquals(0, remote.cancel("job-x"), "nothing left of that job");
        assertEquals(List.of(1L, 16L, 16L, 3L), java.util.Arrays.stream(other.get(60, TimeUnit.SECONDS).outputs().get(0).shape()).boxed().toList());
        // the server serves on
        Tensor small = Http.frames(5, 1, 12, 12);
        assertArrayEquals(Http.bytes(local.infer(new InferenceRequest("style-cartoon", List.of(small), Map.of(), null, Priority.BATCH)).outputs().get(0)),
                Http.bytes(remote.infer(new InferenceRequest("style-cartoon", List.of(small), Map.of(), null, Priority.BATCH)).outputs().get(0)));
    }
}

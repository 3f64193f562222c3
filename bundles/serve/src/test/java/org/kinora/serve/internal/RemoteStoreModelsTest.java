package org.kinora.serve.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.inference.internal.InferenceServiceImpl;
import org.kinora.inference.internal.store.ModelStoreImpl;

/**
 * Store models through the server with binary tensor data and with JSON, against the local service: MoveNet (UINT8
 * frames in, FP32 keypoints out) and MiniLM (BYTES text in, FP32 embeddings out), byte for byte.
 */
class RemoteStoreModelsTest {

    static final List<String> MODELS = List.of("movenet-lightning", "minilm-l6-v2");

    @TempDir
    static Path downloads;
    static InferenceServiceImpl local;
    static OipServer server;

    @BeforeAll
    static void start() throws Exception {
        Path models = Path.of(System.getProperty("kinora.test.models", System.getProperty("user.home") + "/.cache/kinora/test-models"));
        local = new InferenceServiceImpl(new ModelStoreImpl(models, downloads, null));
        List<String> ids = local.models().stream().map(ModelInfo::id).toList();
        assertTrue(ids.containsAll(MODELS), "test models " + MODELS + " are missing or damaged in " + models + " (found " + ids + "): the"
                + " inference module's tests fetch them (mvn -o verify -pl bundles/inference), or KINORA_MODELS=" + models
                + " ./kinora models fetch <id>; -Dkinora.test.models points elsewhere");
        server = OipServer.start(local, OipServer.Limits.defaults(), "127.0.0.1", 0, null);
    }

    @AfterAll
    static void stop() {
        server.close();
        local.close();
    }

    private static void sameThreeWays(InferenceRequest req) throws Exception {
        InferenceResult want = local.infer(req);
        try (RemoteInferenceService binary = new RemoteInferenceService(server.address(), null, true);
                RemoteInferenceService json = new RemoteInferenceService(server.address(), null, false)) {
            long before = server.binaryRequests();
            InferenceResult viaBinary = binary.infer(req);
            assertEquals(before + 1, server.binaryRequests());
            InferenceResult viaJson = json.infer(req);
            assertEquals(before + 1, server.binaryRequests());
            assertEquals(want.outputs().size(), viaBinary.outputs().size());
            for (int i = 0; i < want.outputs().size(); i++) {
                Tensor w = want.outputs().get(i);
                for (InferenceResult got : List.of(viaBinary, viaJson)) {
                    Tensor g = got.output(w.name()).orElseThrow();
                    assertEquals(w.type(), g.type());
                    assertArrayEquals(w.shape(), g.shape());
                    assertArrayEquals(Http.bytes(w), Http.bytes(g), req.modelId() + " " + w.name() + " via " + got.device());
                }
            }
        }
    }

    @Test
    void moveNetKeypoints() throws Exception {
        Tensor frames = Http.frames(21, 2, 120, 160);
        sameThreeWays(new InferenceRequest("movenet-lightning", List.of(new Tensor("image", frames.type(), frames.shape(), frames.data())),
                Map.of(), null, Priority.INTERACTIVE));
    }

    @Test
    void miniLmEmbeddingsOfText() throws Exception {
        Tensor text = Tensor.ofStrings("text", new long[] {3}, List.of("A man is playing a guitar.", "Grüße aus Köln, 世界!", "x"));
        sameThreeWays(new InferenceRequest("minilm-l6-v2", List.of(text), Map.of(), null, Priority.INTERACTIVE));
    }
}

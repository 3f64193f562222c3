package org.kinora.inference.internal.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.Djl;
import org.kinora.inference.internal.LoadedModel;
import org.kinora.inference.internal.Model;
import org.kinora.inference.internal.RunControl;

/** The graph signature ONNX Runtime reports, and raw-tensor ONNX models (processing {@code none}) on the real MiniLM graph. */
class OnnxRawAndSignatureTest {

    @Test
    void theSignatureIsTheGraphsOwn() throws Exception {
        OnnxSignature s = OnnxSignature.read(MiniLm.folder().resolve(MiniLm.ONNX));
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), s.inputs().stream().map(TensorSpec::name).toList());
        for (TensorSpec in : s.inputs()) {
            assertEquals(TensorType.INT64, in.type(), in.name());
            assertArrayEquals(new long[] {-1, -1}, in.shape(), in.name() + ": batch and sequence are symbolic");
        }
        TensorSpec out = s.outputs().get(0);
        assertEquals("last_hidden_state", out.name());
        assertEquals(TensorType.FP32, out.type());
        assertArrayEquals(new long[] {-1, -1, 384}, out.shape());
    }

    @Test
    void aFileThatIsNotOnnxIsRefusedByName(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "not a graph");
        InferenceException e = assertThrows(InferenceException.class, () -> OnnxSignature.read(junk));
        assertTrue(e.getMessage().contains(junk.toString()) && e.getMessage().contains("cannot be read"), e.getMessage());
        InferenceException missing = assertThrows(InferenceException.class, () -> OnnxSignature.read(dir.resolve("none.onnx")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void rawTensorsGoInByNameAndComeOutAsTheCardSays() throws Exception {
        Path folder = MiniLm.folder();
        ModelFile onnx = new ModelFile(MiniLm.ONNX, OrtReference.sha256(folder.resolve(MiniLm.ONNX)), Files.size(folder.resolve(MiniLm.ONNX)));
        // the card lists the inputs in another order than the graph: they are matched by name
        ModelCard card = new ModelCard("minilm-raw", "feature-extraction", "onnx", "MiniLM token states", List.of(onnx),
                List.of(new TensorSpec("token_type_ids", TensorType.INT64, new long[] {-1, -1}),
                        new TensorSpec("input_ids", TensorType.INT64, new long[] {-1, -1}),
                        new TensorSpec("attention_mask", TensorType.INT64, new long[] {-1, -1})),
                List.of(new TensorSpec("last_hidden_state", TensorType.FP32, new long[] {-1, -1, 384})),
                "none", "Apache-2.0", null, null, null, 0);
        Model model = new OnnxFormat().open(card, folder);
        assertEquals(1, model.maxBatch());
        OnnxSentenceEmbeddingTest.folder = folder;
        OnnxSentenceEmbeddingTest.Reference ref = OnnxSentenceEmbeddingTest.readFixture().get(0);
        long[] ids = ref.ids();
        int n = ids.length;
        List<Tensor> inputs = List.of(longs("token_type_ids", new long[n], n), longs("input_ids", ids, n),
                longs("attention_mask", filled(n), n));
        LoadedModel loaded = Djl.call(() -> model.load(Device.cpu()));
        try {
            List<Tensor> out = Djl.call(() -> loaded.call(null, inputs, Map.of(), RunControl.NONE));
            assertEquals(1, out.size());
            Tensor states = out.get(0);
            assertEquals("last_hidden_state", states.name());
            assertArrayEquals(new long[] {1, n, 384}, states.shape());
            // mean-pool and normalize here: the reference embedding of the same ids
            float[] flat = new float[n * 384];
            states.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(flat);
            double[] mean = new double[384];
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < 384; j++) {
                    mean[j] += flat[t * 384 + j] / (double) n;
                }
            }
            double norm = Math.sqrt(java.util.Arrays.stream(mean).map(x -> x * x).sum());
            double worst = 0;
            for (int j = 0; j < 384; j++) {
                worst = Math.max(worst, Math.abs(mean[j] / norm - ref.embedding()[j]));
            }
            assertTrue(worst <= OnnxSentenceEmbeddingTest.ONE_BY_ONE_TOLERANCE, "max abs diff " + worst);
        } finally {
            Djl.call(() -> {
                loaded.close();
                return null;
            });
        }
    }

    @Test
    void unknownProcessingIsRefused() throws Exception {
        Path folder = MiniLm.folder();
        ModelCard card = MiniLm.card(folder);
        ModelCard odd = new ModelCard(card.id(), card.task(), card.format(), card.description(), card.files(), card.inputs(),
                card.outputs(), "movenet", card.license(), null, null, card.source(), 0);
        InferenceException e = assertThrows(InferenceException.class, () -> new OnnxFormat().open(odd, folder));
        assertTrue(e.getMessage().contains("no processing 'movenet'"), e.getMessage());
    }

    private static Tensor longs(String name, long[] values, int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(name, TensorType.INT64, new long[] {1, n}, b);
    }

    private static long[] filled(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}

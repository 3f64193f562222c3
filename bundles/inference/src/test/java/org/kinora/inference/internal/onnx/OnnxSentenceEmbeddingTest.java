package org.kinora.inference.internal.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.Djl;
import org.kinora.inference.internal.LoadedModel;
import org.kinora.inference.internal.Model;
import org.kinora.inference.internal.RunControl;

/**
 * Kinora's MiniLM sentence embeddings (OnnxFormat, DJL's OnnxRuntime engine and HuggingFace tokenizer) against the
 * fixture {@link OrtReference} made with ONNX Runtime's own Java API and an independent tokenizer.
 */
class OnnxSentenceEmbeddingTest {

    /** Same runtime, same inputs, one sentence per network run: only float summation order may differ. */
    static final double ONE_BY_ONE_TOLERANCE = 1e-4;
    static Path folder;
    static ModelCard card;
    static Model model;
    static LoadedModel loaded;
    static NDManager scope;
    static List<Reference> references;

    record Reference(String text, long[] ids, float[] embedding) {
    }

    @BeforeAll
    static void load() throws Exception {
        folder = MiniLm.folder();
        card = MiniLm.card(folder);
        model = new OnnxFormat().open(card, folder);
        loaded = Djl.call(() -> model.load(Device.cpu()));
        scope = Djl.call(() -> NDManager.newBaseManager(Device.cpu(), Djl.ENGINE));
        references = readFixture();
    }

    @AfterAll
    static void close() throws Exception {
        Djl.call(() -> {
            if (loaded != null) {
                loaded.close();
            }
            if (scope != null) {
                scope.close();
            }
            return null;
        });
    }

    static List<Reference> readFixture() throws Exception {
        try (Reader r = new InputStreamReader(OnnxSentenceEmbeddingTest.class.getResourceAsStream(
                "/onnx-reference/minilm-l6-v2-reference.json"), StandardCharsets.UTF_8)) {
            JsonObject doc = new Gson().fromJson(r, JsonObject.class);
            assertEquals(OrtReference.sha256(folder.resolve(MiniLm.ONNX)), doc.get("modelSha256").getAsString(),
                    "the fixture was made from another model file: regenerate it (see its README)");
            List<Reference> refs = new ArrayList<>();
            for (JsonElement e : doc.getAsJsonArray("sentences")) {
                JsonObject o = e.getAsJsonObject();
                JsonArray ids = o.getAsJsonArray("ids");
                JsonArray emb = o.getAsJsonArray("embedding");
                long[] i = new long[ids.size()];
                for (int k = 0; k < i.length; k++) {
                    i[k] = ids.get(k).getAsLong();
                }
                float[] f = new float[emb.size()];
                for (int k = 0; k < f.length; k++) {
                    f[k] = emb.get(k).getAsFloat();
                }
                refs.add(new Reference(o.get("text").getAsString(), i, f));
            }
            assertEquals(OrtReference.SENTENCES.size(), refs.size());
            return refs;
        }
    }

    static float[][] embed(List<String> sentences) throws Exception {
        return rows(call(Tensor.ofStrings("text", new long[] {sentences.size()}, sentences)));
    }

    static Tensor call(Tensor text) throws Exception {
        List<Tensor> out = Djl.call(() -> loaded.call(scope, List.of(text), Map.of(), RunControl.NONE));
        assertEquals(1, out.size());
        return out.get(0);
    }

    static float[][] rows(Tensor t) {
        assertEquals("embedding", t.name());
        assertEquals(TensorType.FP32, t.type());
        long[] shape = t.shape();
        assertEquals(2, shape.length);
        assertEquals(384, shape[1]);
        float[][] rows = new float[(int) shape[0]][384];
        ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : rows) {
            b.asFloatBuffer().get(row);
            b.position(b.position() + 384 * Float.BYTES);
        }
        return rows;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void tokenIdsMatchTheIndependentTokenizerExactly() throws Exception {
        try (HuggingFaceTokenizer tokenizer = Djl.call(() -> SentenceEmbeddingModel.tokenizer(MiniLm.ID, folder.resolve(MiniLm.TOKENIZER)))) {
            for (Reference ref : references) {
                long[] ids = Djl.call(() -> tokenizer.encode(ref.text()).getIds());
                assertArrayEquals(ref.ids(), ids, "token ids of: " + ref.text());
            }
        }
        assertEquals(SentenceEmbeddingModel.MAX_TOKENS, references.get(references.size() - 1).ids().length,
                "the long sentence is cut at 256 word pieces");
    }

    @Test
    void eachSentenceMatchesTheOrtReference() throws Exception {
        double worst = 0;
        for (Reference ref : references) {
            float[] e = embed(List.of(ref.text()))[0];
            double d = maxAbsDiff(ref.embedding(), e);
            worst = Math.max(worst, d);
            assertTrue(d <= ONE_BY_ONE_TOLERANCE, "max abs diff " + d + " for: " + ref.text());
            double norm = Math.sqrt(cosine(e, e) == 0 ? 0 : dot(e, e));
            assertEquals(1.0, norm, 1e-5, "L2-normalized");
        }
        System.out.printf("MiniLM one sentence per call vs ONNX Runtime reference: max abs diff %.3g (tolerance %.0e)%n",
                worst, ONE_BY_ONE_TOLERANCE);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void aSentenceGetsTheSameEmbeddingWhateverItIsBatchedWith() throws Exception {
        List<String> texts = references.stream().map(Reference::text).toList();
        float[][] batch = embed(texts);
        assertEquals(texts.size(), batch.length);
        double worst = 0;
        for (int i = 0; i < batch.length; i++) {
            worst = Math.max(worst, maxAbsDiff(references.get(i).embedding(), batch[i]));
        }
        System.out.printf("MiniLM %d sentences in one call vs ONNX Runtime reference: max abs diff %.3g (tolerance %.0e)%n",
                batch.length, worst, ONE_BY_ONE_TOLERANCE);
        assertTrue(worst <= ONE_BY_ONE_TOLERANCE, "max abs diff " + worst);
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() throws Exception {
        List<String> texts = references.stream().map(Reference::text).toList().subList(0, 8);
        float[][] e = embed(texts);
        // pairs (0,1) guitar, (2,3) stock market, (4,5) cutting vegetables, (6,7) cat by the window
        for (int p = 0; p < 8; p += 2) {
            double para = cosine(e[p], e[p + 1]);
            for (int x = 0; x < 8; x++) {
                if (x == p || x == p + 1) {
                    continue;
                }
                double unrelated = Math.max(cosine(e[p], e[x]), cosine(e[p + 1], e[x]));
                System.out.printf("cos(\"%s\", \"%s\") = %.3f > %.3f (vs \"%s\")%n", texts.get(p), texts.get(p + 1), para,
                        unrelated, texts.get(x));
                assertTrue(para > unrelated + 0.1, "\"" + texts.get(p) + "\" / \"" + texts.get(p + 1) + "\" (" + para
                        + ") should be closer than either to \"" + texts.get(x) + "\" (" + unrelated + ")");
            }
        }
    }

    @Test
    void moreSentencesThanOneNetworkCallAreRunInChunks() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 2 * SentenceEmbeddingModel.MAX_BATCH + 5; i++) {
            texts.add(references.get(i % 8).text());
        }
        embed(texts); // warm-up
        long t0 = System.nanoTime();
        float[][] e = embed(texts);
        System.out.printf("MiniLM: %d short sentences in %.1f ms on the CPU%n", texts.size(), (System.nanoTime() - t0) / 1e6);
        assertEquals(texts.size(), e.length);
        for (int i = 0; i < e.length; i++) {
            assertTrue(maxAbsDiff(e[i], references.get(i % 8).embedding()) <= ONE_BY_ONE_TOLERANCE, "row " + i);
        }
    }

    @Test
    void anOverlongSentenceIsTruncatedNotRefused() throws Exception {
        Reference longOne = references.get(references.size() - 1);
        String longer = longOne.text() + " " + longOne.text() + " " + longOne.text();
        float[] e = embed(List.of(longer))[0];
        // the first 254 pieces are the same, so the embedding is the reference's
        assertTrue(maxAbsDiff(longOne.embedding(), e) <= ONE_BY_ONE_TOLERANCE);
    }

    @Test
    void badTextIsRefusedWithAClearMessage() {
        InferenceException none = assertThrows(InferenceException.class,
                () -> call(Tensor.ofStrings("text", new long[] {0}, List.of())));
        assertTrue(none.getMessage().contains("holds no sentence"), none.getMessage());

        InferenceException empty = assertThrows(InferenceException.class,
                () -> call(Tensor.ofStrings("text", new long[] {2}, List.of("fine", "  "))));
        assertTrue(empty.getMessage().contains("sentence 1") && empty.getMessage().contains("empty"), empty.getMessage());

        ByteBuffer latin1 = ByteBuffer.allocate(4 + 4).order(ByteOrder.LITTLE_ENDIAN);
        latin1.putInt(4).put(new byte[] {'c', 'a', 'f', (byte) 0xE9}).flip(); // "café" in Latin-1
        InferenceException bytes = assertThrows(InferenceException.class,
                () -> call(new Tensor("text", TensorType.BYTES, new long[] {1}, latin1)));
        assertTrue(bytes.getMessage().contains("sentence 0") && bytes.getMessage().contains("not valid UTF-8"), bytes.getMessage());

        InferenceException type = assertThrows(InferenceException.class,
                () -> call(new Tensor("text", TensorType.FP32, new long[] {1}, ByteBuffer.allocate(4))));
        assertTrue(type.getMessage().contains("must be BYTES"), type.getMessage());

        InferenceException rank = assertThrows(InferenceException.class,
                () -> call(Tensor.ofStrings("text", new long[] {1, 1}, List.of("a"))));
        assertTrue(rank.getMessage().contains("BYTES [N]"), rank.getMessage());
    }

    @Test
    void theModelDeclaresBatchingAndAnHonestMemoryFigure() {
        assertEquals(SentenceEmbeddingModel.MAX_BATCH, model.maxBatch());
        long mb = model.memoryBytes() >> 20;
        // 2 x 22 MB weights + one 256-token run of BERT-sized activations
        assertTrue(mb > 50 && mb < 512, mb + " MiB");
    }

    /**
     * With token_states the model also gives every word piece's state, padded to the longest sentence: the mask counts
     * each sentence's pieces, the padding is zero, and mean-pooling the states under the mask and normalizing gives back
     * the sentence's own embedding (the states are the ones the embedding is made of).
     */
    @Test
    void tokenStatesComeWithTheirMaskAndPoolToTheEmbedding() throws Exception {
        List<String> texts = List.of("a red circle moving left", "a small blue square drifting to the right over the sand at night");
        List<Tensor> out = Djl.call(() -> loaded.call(scope, List.of(Tensor.ofStrings("text", new long[] {2}, texts)),
                Map.of(SentenceEmbeddingModel.TOKEN_STATES, true), RunControl.NONE));
        assertEquals(List.of("embedding", "tokens", "token_mask"), out.stream().map(Tensor::name).toList());
        float[][] e = rows(out.get(0));
        long[] shape = out.get(1).shape();
        float[] states = out.get(1).floats();
        float[] mask = out.get(2).floats();
        int l = (int) shape[1];
        assertEquals(2, shape[0]);
        assertEquals(384, shape[2]);
        assertArrayEquals(new long[] {2, l}, out.get(2).shape());
        try (HuggingFaceTokenizer words = SentenceEmbeddingModel.tokenizer("test", folder.resolve(MiniLm.TOKENIZER))) {
            for (int i = 0; i < 2; i++) {
                int pieces = words.encode(texts.get(i)).getIds().length;
                double sum = 0;
                for (int k = 0; k < l; k++) {
                    sum += mask[i * l + k];
                }
                assertEquals(pieces, sum, 1e-6, "mask of sentence " + i);
                float[] mean = new float[384];
                for (int k = 0; k < l; k++) {
                    for (int j = 0; j < 384; j++) {
                        float v = states[(i * l + k) * 384 + j];
                        if (k >= pieces) {
                            assertEquals(0f, v, "padding of sentence " + i);
                        }
                        mean[j] += v * mask[i * l + k];
                    }
                }
                double norm = Math.sqrt(dot(mean, mean));
                for (int j = 0; j < 384; j++) {
                    mean[j] /= (float) norm;
                }
                assertTrue(maxAbsDiff(e[i], mean) < 1e-5, "pooled states vs embedding of sentence " + i + ": " + maxAbsDiff(e[i], mean));
            }
            assertEquals(words.encode(texts.get(1)).getIds().length, l, "padded to the longest sentence");
        }
        // without the parameter: the embedding alone, as before
        assertEquals(List.of("embedding"), Djl.call(() -> loaded.call(scope, List.of(Tensor.ofStrings("text", new long[] {1}, texts.subList(0, 1))),
                Map.of(), RunControl.NONE)).stream().map(Tensor::name).toList());
    }

    @Test
    void tokenStatesAreBoundedAndTheirParameterChecked() {
        List<String> many = java.util.Collections.nCopies(SentenceEmbeddingModel.MAX_TOKEN_SENTENCES + 1, "a red circle");
        InferenceException tooMany = assertThrows(InferenceException.class, () -> Djl.call(() -> loaded.call(scope,
                List.of(Tensor.ofStrings("text", new long[] {many.size()}, many)), Map.of(SentenceEmbeddingModel.TOKEN_STATES, true),
                RunControl.NONE)));
        assertTrue(tooMany.getMessage().contains("at most " + SentenceEmbeddingModel.MAX_TOKEN_SENTENCES), tooMany.getMessage());
        InferenceException bad = assertThrows(InferenceException.class, () -> Djl.call(() -> loaded.call(scope,
                List.of(Tensor.ofStrings("text", new long[] {1}, List.of("a"))), Map.of(SentenceEmbeddingModel.TOKEN_STATES, "yes"),
                RunControl.NONE)));
        assertTrue(bad.getMessage().contains("token_states") && bad.getMessage().contains("yes"), bad.getMessage());
    }
}

package org.kinora.inference.internal.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.onnxruntime.engine.OrtEngine;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.LoadedModel;
import org.kinora.inference.internal.Model;
import org.kinora.inference.internal.RunControl;

/**
 * A sentence encoder (all-MiniLM-L6-v2 and its kin) on DJL's ONNX Runtime engine: {@code text BYTES [N]} UTF-8 sentences
 * in, {@code embedding FP32 [N, H]} out, mean-pooled over the attention mask and L2-normalized (see
 * {@link SentenceEmbeddingTranslator}). Text cannot become an NDArray, so this is a {@link LoadedModel} of its own rather
 * than a tensor-to-NDArray call.
 */
final class SentenceEmbeddingModel implements Model {

    /** Word pieces per sentence, [CLS] and [SEP] included: all-MiniLM-L6-v2's max_seq_length in sentence-transformers. */
    static final int MAX_TOKENS = 256;
    /**
     * Sentences the scheduler may gather into one call, and the chunk between cancellation checkpoints. Each sentence is
     * still its own network run (see {@link SentenceEmbeddingTranslator}), so results do not depend on the batching.
     */
    static final int MAX_BATCH = 32;

    private final ModelCard card;
    private final Path onnx;
    private final Path tokenizer;

    SentenceEmbeddingModel(ModelCard card, Path onnx, Path tokenizer) {
        this.card = card;
        this.onnx = onnx;
        this.tokenizer = tokenizer;
    }

    @Override
    public ModelInfo info() {
        return card.info();
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    /**
     * Weights twice (ONNX Runtime keeps the graph's initializers plus pre-packed copies of the quantized matrices) plus
     * the activations of one network run (one sentence), BERT-sized: per token, 12 heads x 2 attention maps of
     * {@link #MAX_TOKENS} floats, the 4H feed-forward layer and about 8 H-wide buffers, plus ONNX Runtime's arena slack
     * (x4). For MiniLM (22 MB, H = 384) about 0.1 GB.
     * The card's figure wins when it is larger.
     */
    @Override
    public long memoryBytes() {
        long weights;
        try {
            weights = Files.size(onnx);
        } catch (IOException e) {
            weights = 0;
        }
        long h = hiddenSize();
        long perToken = (2L * 12 * MAX_TOKENS + 4 * h + 8 * h) * Float.BYTES;
        long estimate = 2 * weights + 4L * MAX_TOKENS * perToken;
        return Math.max(estimate, card.memoryBytes());
    }

    private long hiddenSize() {
        long[] shape = card.outputs().get(0).shape();
        return shape.length == 2 && shape[1] > 0 ? shape[1] : 384;
    }

    @Override
    public LoadedModel load(Device device) throws InferenceException {
        OnnxSignature signature = OnnxSignature.read(onnx);
        String hidden = signature.outputs().stream().map(TensorSpec::name).filter("last_hidden_state"::equals).findFirst()
                .orElse(signature.outputs().get(0).name());
        HuggingFaceTokenizer words = tokenizer(card.id(), tokenizer);
        ai.djl.Model model = ai.djl.Model.newInstance(card.id(), OnnxFormat.placement(device), OrtEngine.ENGINE_NAME);
        try {
            model.load(onnx, null, Map.of());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            words.close();
            throw new InferenceException("model '" + card.id() + "': ONNX Runtime cannot load " + onnx + ": " + e.getMessage(), e);
        }
        Predictor<String, float[]> predictor = model.newPredictor(new SentenceEmbeddingTranslator(words, signature.inputs(), hidden));
        return new Loaded(model, words, predictor);
    }

    /**
     * The model's tokenizer from its tokenizer.json, with the file's own truncation and padding replaced: [CLS] ... [SEP]
     * truncated at {@link #MAX_TOKENS} pieces, never padded (each sentence is run alone).
     */
    static HuggingFaceTokenizer tokenizer(String model, Path tokenizerJson) throws InferenceException {
        try {
            return HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson).optAddSpecialTokens(true)
                    .optTruncation(true).optMaxLength(MAX_TOKENS).optPadding(false).build();
        } catch (IOException | RuntimeException e) {
            throw new InferenceException("model '" + model + "': tokenizer " + tokenizerJson + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private final class Loaded implements LoadedModel {
        private final ai.djl.Model model;
        private final HuggingFaceTokenizer words;
        private final Predictor<String, float[]> predictor;

        Loaded(ai.djl.Model model, HuggingFaceTokenizer words, Predictor<String, float[]> predictor) {
            this.model = model;
            this.words = words;
            this.predictor = predictor;
        }

        @Override
        public List<Tensor> call(NDManager scope, List<Tensor> inputs, Map<String, Object> parameters, RunControl control)
                throws InferenceException {
            List<String> sentences = Sentences.of(card.id(), inputs.get(0));
            int n = sentences.size();
            ByteBuffer out = null;
            long h = 0;
            for (int start = 0; start < n; start += MAX_BATCH) {
                control.checkpoint();
                int end = Math.min(n, start + MAX_BATCH);
                List<float[]> rows;
                try {
                    rows = predictor.batchPredict(sentences.subList(start, end));
                } catch (TranslateException | RuntimeException e) {
                    throw new InferenceException("model '" + card.id() + "' failed on sentences " + start + ".." + (end - 1)
                            + ": " + e.getMessage(), e);
                }
                if (out == null) {
                    h = rows.get(0).length;
                    checkWidth(h);
                    out = ByteBuffer.allocate(Math.multiplyExact(Math.multiplyExact(n, (int) h), Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
                }
                for (float[] row : rows) {
                    out.asFloatBuffer().put(row);
                    out.position(out.position() + row.length * Float.BYTES);
                }
                control.progress((double) end / n);
            }
            TensorSpec spec = card.outputs().get(0);
            return List.of(new Tensor(spec.name(), TensorType.FP32, new long[] {n, h}, out.flip()));
        }

        private void checkWidth(long h) throws InferenceException {
            long declared = card.outputs().get(0).shape()[1];
            if (declared > 0 && declared != h) {
                throw new InferenceException("model '" + card.id() + "': the network gives " + h
                        + "-wide embeddings, the card declares " + declared);
            }
        }

        @Override
        public void close() {
            predictor.close();
            model.close();
            words.close();
        }
    }
}

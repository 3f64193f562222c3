package org.kinora.inference.internal.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.onnxruntime.engine.OrtEngine;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
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
 * {@link SentenceEmbeddingTranslator}). With the request parameter {@code token_states} true, also the token states a
 * text-to-video denoiser reads by cross-attention: {@code tokens FP32 [N, L, H]} (the graph's last hidden state; L the
 * longest sentence's word pieces, [CLS] and [SEP] included, shorter sentences padded with zeros) and
 * {@code token_mask FP32 [N, L]} (1 for a word piece, 0 for padding). Text cannot become an NDArray, so this is a {@link LoadedModel} of its own rather
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
    /** Request parameter that asks for the token states too. */
    static final String TOKEN_STATES = "token_states";
    /** Sentences one request may ask token states of: each takes up to {@link #MAX_TOKENS} x H floats. */
    static final int MAX_TOKEN_SENTENCES = 64;
    static final String TOKENS = "tokens";
    static final String TOKEN_MASK = "token_mask";

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
        Predictor<String, SentenceEmbeddingTranslator.Encoded> predictor = model.newPredictor(new SentenceEmbeddingTranslator(words, signature.inputs(), hidden));
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
        private final Predictor<String, SentenceEmbeddingTranslator.Encoded> predictor;

        Loaded(ai.djl.Model model, HuggingFaceTokenizer words, Predictor<String, SentenceEmbeddingTranslator.Encoded> predictor) {
            this.model = model;
            this.words = words;
            this.predictor = predictor;
        }

        @Override
        public List<Tensor> call(NDManager scope, List<Tensor> inputs, Map<String, Object> parameters, RunControl control)
                throws InferenceException {
            List<String> sentences = Sentences.of(card.id(), inputs.get(0));
            boolean tokens = tokenStates(parameters);
            int n = sentences.size();
            if (tokens && n > MAX_TOKEN_SENTENCES) {
                throw new InvalidInferenceRequestException("model '" + card.id() + "': " + TOKEN_STATES + " is for at most "
                        + MAX_TOKEN_SENTENCES + " sentences per request, got " + n);
            }
            List<SentenceEmbeddingTranslator.Encoded> all = new ArrayList<>(n);
            for (int start = 0; start < n; start += MAX_BATCH) {
                control.checkpoint();
                int end = Math.min(n, start + MAX_BATCH);
                try {
                    all.addAll(predictor.batchPredict(sentences.subList(start, end)));
                } catch (TranslateException | RuntimeException e) {
                    throw new InferenceException("model '" + card.id() + "' failed on sentences " + start + ".." + (end - 1)
                            + ": " + e.getMessage(), e);
                }
                control.progress((double) end / n);
            }
            int h = all.get(0).embedding().length;
            checkWidth(h);
            float[] embeddings = new float[Math.multiplyExact(n, h)];
            for (int i = 0; i < n; i++) {
                System.arraycopy(all.get(i).embedding(), 0, embeddings, i * h, h);
            }
            List<Tensor> out = new ArrayList<>(3);
            out.add(Tensor.ofFloats(card.outputs().get(0).name(), new long[] {n, h}, embeddings));
            if (tokens) {
                int l = all.stream().mapToInt(SentenceEmbeddingTranslator.Encoded::length).max().orElse(0);
                float[] states = new float[n * l * h];
                float[] mask = new float[n * l];
                for (int i = 0; i < n; i++) {
                    SentenceEmbeddingTranslator.Encoded e = all.get(i);
                    System.arraycopy(e.states(), 0, states, i * l * h, e.length() * h);
                    Arrays.fill(mask, i * l, i * l + e.length(), 1f);
                }
                out.add(Tensor.ofFloats(TOKENS, new long[] {n, l, h}, states));
                out.add(Tensor.ofFloats(TOKEN_MASK, new long[] {n, l}, mask));
            }
            return out;
        }

        private boolean tokenStates(Map<String, Object> parameters) throws InvalidInferenceRequestException {
            Object v = parameters.get(TOKEN_STATES);
            if (v == null || Boolean.FALSE.equals(v) || "false".equals(v)) {
                return false;
            }
            if (Boolean.TRUE.equals(v) || "true".equals(v)) {
                return true;
            }
            throw new InvalidInferenceRequestException("model '" + card.id() + "': parameter " + TOKEN_STATES
                    + " must be true or false, got " + v);
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

package org.kinora.inference.internal.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.onnxruntime.engine.OrtEngine;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.TensorSpec;

/**
 * A sentence encoder opened straight from a model folder, outside the inference service: for trainers that run in a
 * plain JVM (the text-to-video trainer embeds its captions with the same all-MiniLM-L6-v2 the service runs, so the
 * model learns the embedding space it will be prompted in). Same tokenizer and pooling as {@link SentenceEmbeddingModel}.
 */
public final class SentenceEncoder implements AutoCloseable {

    private final ai.djl.Model model;
    private final HuggingFaceTokenizer words;
    private final Predictor<String, SentenceEmbeddingTranslator.Encoded> predictor;

    private SentenceEncoder(ai.djl.Model model, HuggingFaceTokenizer words, Predictor<String, SentenceEmbeddingTranslator.Encoded> predictor) {
        this.model = model;
        this.words = words;
        this.predictor = predictor;
    }

    /**
     * Opens the encoder of a model folder holding {@code *.onnx} and {@code *tokenizer.json} (as {@code kinora models
     * fetch minilm-l6-v2} leaves it).
     */
    public static SentenceEncoder open(Path folder) throws InferenceException {
        Path onnx;
        Path tokenizer;
        try (var files = Files.list(folder)) {
            var all = files.toList();
            onnx = all.stream().filter(p -> p.toString().endsWith(".onnx")).findFirst()
                    .orElseThrow(() -> new InferenceException(folder + ": no .onnx file (kinora models fetch minilm-l6-v2)"));
            tokenizer = all.stream().filter(p -> p.toString().endsWith("tokenizer.json")).findFirst()
                    .orElseThrow(() -> new InferenceException(folder + ": no tokenizer.json"));
        } catch (IOException e) {
            throw new InferenceException(folder + ": cannot be read: " + e.getMessage(), e);
        }
        OnnxSignature signature = OnnxSignature.read(onnx);
        String hidden = signature.outputs().stream().map(TensorSpec::name).filter("last_hidden_state"::equals).findFirst()
                .orElse(signature.outputs().get(0).name());
        HuggingFaceTokenizer words = SentenceEmbeddingModel.tokenizer("sentence-encoder", tokenizer);
        ai.djl.Model model = ai.djl.Model.newInstance("sentence-encoder", Device.cpu(), OrtEngine.ENGINE_NAME);
        try {
            model.load(onnx, null, Map.of());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            words.close();
            throw new InferenceException("ONNX Runtime cannot load " + onnx + ": " + e.getMessage(), e);
        }
        return new SentenceEncoder(model, words, model.newPredictor(new SentenceEmbeddingTranslator(words, signature.inputs(), hidden)));
    }

    /** The L2-normalized embedding of one sentence. */
    public float[] embed(String sentence) throws InferenceException {
        return encode(sentence).embedding();
    }

    /**
     * One sentence's embedding and its token states: the graph's last hidden state, [L, H] row-major, [CLS] and [SEP]
     * included, as the service gives them with {@code token_states}.
     *
     * @return {@code {embedding, states}}
     */
    public float[][] embedWithTokens(String sentence) throws InferenceException {
        SentenceEmbeddingTranslator.Encoded e = encode(sentence);
        return new float[][] {e.embedding(), e.states()};
    }

    private SentenceEmbeddingTranslator.Encoded encode(String sentence) throws InferenceException {
        try {
            return predictor.predict(sentence);
        } catch (TranslateException e) {
            throw new InferenceException("embedding \"" + sentence + "\" failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
        words.close();
    }
}

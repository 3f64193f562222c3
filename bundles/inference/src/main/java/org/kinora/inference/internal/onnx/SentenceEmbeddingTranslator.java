package org.kinora.inference.internal.onnx;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.translate.TranslatorContext;
import java.util.List;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * Sentence-transformers pre/post-processing around a BERT-style encoder graph (all-MiniLM-L6-v2): sentences are
 * tokenized (WordPiece, truncated at the tokenizer's max length), fed as the graph's
 * {@code input_ids} / {@code attention_mask} / {@code token_type_ids} in the integer type each declares, and the graph's
 * token states are mean-pooled over the attention mask and L2-normalized, as sentence-transformers'
 * {@code Pooling(mean)} + {@code Normalize} modules do.
 *
 * <p>One sentence per network call, never a padded batch, hence no batchifier: the quantized graph quantizes its
 * activations per tensor (DynamicQuantizeLinear), so in a batch each sentence's embedding would depend on the other
 * sentences and the padding (cosine to the unbatched result down to 0.988 for MiniLM, measured). A sentence's embedding
 * must not depend on which requests the scheduler happened to batch it with. {@code Predictor.batchPredict} runs a list
 * through this translator one sentence at a time.
 */
final class SentenceEmbeddingTranslator implements NoBatchifyTranslator<String, SentenceEmbeddingTranslator.Encoded> {

    /**
     * One sentence's result: its pooled, L2-normalized {@code embedding} [H], and the graph's token states [L, H] as they
     * are ({@code states}, L = {@code length} word pieces, [CLS] and [SEP] included), which a denoiser may read by
     * cross-attention as today's text-to-video systems read their text encoder's tokens.
     */
    record Encoded(float[] embedding, float[] states, int length) {
    }

    private static final String MASK = "attentionMask";

    private final HuggingFaceTokenizer tokenizer;
    private final List<TensorSpec> graphInputs;
    private final String hiddenState;

    /**
     * @param tokenizer   the model's tokenizer, set to truncate
     * @param graphInputs the graph's inputs (names and integer types), in the graph's order
     * @param hiddenState the graph output holding the token states [N, L, H]
     */
    SentenceEmbeddingTranslator(HuggingFaceTokenizer tokenizer, List<TensorSpec> graphInputs, String hiddenState) {
        this.tokenizer = tokenizer;
        this.graphInputs = List.copyOf(graphInputs);
        this.hiddenState = hiddenState;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String sentence) throws TranslateException {
        Encoding encoding = tokenizer.encode(sentence);
        long[] mask = encoding.getAttentionMask();
        NDManager manager = ctx.getNDManager();
        Shape shape = new Shape(1, mask.length);
        NDList inputs = new NDList(graphInputs.size());
        for (TensorSpec spec : graphInputs) {
            long[] values = switch (spec.name()) {
                case "input_ids" -> encoding.getIds();
                case "attention_mask" -> mask;
                case "token_type_ids" -> encoding.getTypeIds();
                default -> throw new TranslateException("the graph input '" + spec.name()
                        + "' is not one a sentence encoder takes (input_ids, attention_mask, token_type_ids)");
            };
            NDArray array = create(manager, values, shape, spec);
            array.setName(spec.name());
            inputs.add(array);
        }
        ctx.setAttachment(MASK, manager.create(mask, shape).toType(DataType.FLOAT32, false));
        return inputs;
    }

    private static NDArray create(NDManager manager, long[] values, Shape shape, TensorSpec spec) throws TranslateException {
        if (spec.type() == TensorType.INT64) {
            return manager.create(values, shape);
        }
        if (spec.type() == TensorType.INT32) {
            int[] narrow = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                narrow[i] = Math.toIntExact(values[i]);
            }
            return manager.create(narrow, shape);
        }
        throw new TranslateException("the graph input '" + spec.name() + "' is " + spec.type() + ", a sentence encoder takes INT64 or INT32");
    }

    @Override
    public Encoded processOutput(TranslatorContext ctx, NDList outputs) throws TranslateException {
        NDArray states = outputs.get(hiddenState);
        if (states == null) {
            throw new TranslateException("the graph returned no '" + hiddenState + "'");
        }
        if (states.getShape().dimension() != 3) {
            throw new TranslateException("'" + hiddenState + "' is " + states.getShape() + ", token states [N, L, H] expected");
        }
        NDArray mask = ((NDArray) ctx.getAttachment(MASK)).expandDims(-1);
        NDArray floats = states.toType(DataType.FLOAT32, false);
        NDArray summed = floats.mul(mask).sum(new int[] {1});
        NDArray counts = mask.sum(new int[] {1}).clip(1e-9f, Float.MAX_VALUE);
        NDArray mean = summed.div(counts);
        NDArray norms = mean.norm(new int[] {1}, true).clip(1e-12f, Float.MAX_VALUE);
        NDArray embeddings = mean.div(norms);
        return new Encoded(embeddings.toFloatArray(), floats.toFloatArray(), (int) floats.getShape().get(1));
    }
}

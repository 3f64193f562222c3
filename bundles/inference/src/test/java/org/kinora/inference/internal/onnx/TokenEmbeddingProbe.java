package org.kinora.inference.internal.onnx;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.kinora.core.inference.TensorSpec;
import org.kinora.samples.world.Captions;
import org.kinora.samples.world.Scene;
import org.kinora.samples.world.World;

/**
 * A developer's look at MiniLM's per-token states as a text encoder for the generate denoiser, next to the pooled
 * embedding (see t2v.CaptionEmbeddingProbe): for each attribute value, a prototype is the mean state of the tokens of
 * its training words; a caption's value is the prototype that some token of it matches best (cosine), which is roughly
 * what a cross-attention head reading the tokens can do. Fitted on training captions, tried on held-out ones.
 */
public final class TokenEmbeddingProbe {

    /** Token states of one sentence, [L, H], special tokens dropped. */
    static final class States implements NoBatchifyTranslator<String, float[][]> {
        private final SentenceEmbeddingTranslator inputs;

        States(HuggingFaceTokenizer words, List<TensorSpec> graphInputs, String hidden) {
            this.inputs = new SentenceEmbeddingTranslator(words, graphInputs, hidden);
        }

        @Override
        public NDList processInput(TranslatorContext ctx, String s) throws Exception {
            return inputs.processInput(ctx, s);
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList out) {
            NDArray st = out.get("last_hidden_state").toType(DataType.FLOAT32, false);
            long l = st.getShape().get(1);
            long hsz = st.getShape().get(2);
            float[] flat = st.toFloatArray();
            float[][] r = new float[(int) l - 2][(int) hsz];
            for (int i = 1; i < l - 1; i++) {
                System.arraycopy(flat, (int) (i * hsz), r[i - 1], 0, (int) hsz);
            }
            return r;
        }
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(System.getProperty("user.home"), ".local/share/kinora/models/minilm-l6-v2");
        Path onnx;
        Path tok;
        try (var files = Files.list(folder)) {
            var all = files.toList();
            onnx = all.stream().filter(p -> p.toString().endsWith(".onnx")).findFirst().orElseThrow();
            tok = all.stream().filter(p -> p.toString().endsWith("tokenizer.json")).findFirst().orElseThrow();
        }
        OnnxSignature sig = OnnxSignature.read(onnx);
        HuggingFaceTokenizer words = SentenceEmbeddingModel.tokenizer("probe", tok);
        try (ai.djl.Model model = ai.djl.Model.newInstance("probe", Device.cpu(), "OnnxRuntime")) {
            model.load(onnx, null, Map.of());
            try (Predictor<String, float[][]> p = model.newPredictor(new States(words, sig.inputs(), "last_hidden_state"))) {
                Map<String, Function<Scene, Enum<?>>> attributes = new TreeMap<>(Map.of("colour", Scene::hue, "shape", Scene::shape,
                        "direction", Scene::direction));
                Random rnd = new Random(5);
                List<Scene> trainScenes = new ArrayList<>();
                List<String> train = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    Scene s = World.sample(rnd, 1);
                    trainScenes.add(s);
                    train.add(Captions.train(s, rnd));
                }
                List<Scene> heldScenes = new ArrayList<>();
                List<float[][]> held = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    Scene s = World.sample(rnd, 1);
                    heldScenes.add(s);
                    held.add(p.predict(Captions.heldOut(s, rnd)));
                }
                for (var a : attributes.entrySet()) {
                    // prototype per value: mean state of the tokens of the value's training words, in context
                    Map<Enum<?>, double[]> proto = new HashMap<>();
                    Map<Enum<?>, Integer> count = new HashMap<>();
                    for (int i = 0; i < train.size(); i++) {
                        Enum<?> v = a.getValue().apply(trainScenes.get(i));
                        String caption = train.get(i);
                        float[][] st = p.predict(caption);
                        var enc = words.encode(caption);
                        String[] toks = enc.getTokens();
                        for (String w : Captions.trainWords(v)) {
                            for (String piece : w.split(" ")) {
                                for (int k = 1; k < toks.length - 1; k++) {
                                    if (toks[k].equals(piece) && !Captions.SHARED_WORDS.contains(piece) && !piece.equals("to")
                                            && !piece.equals("the")) {
                                        double[] pr = proto.computeIfAbsent(v, x -> new double[st[0].length]);
                                        for (int j = 0; j < pr.length; j++) {
                                            pr[j] += st[k - 1][j];
                                        }
                                        count.merge(v, 1, Integer::sum);
                                    }
                                }
                            }
                        }
                    }
                    int ok = 0;
                    for (int i = 0; i < held.size(); i++) {
                        Enum<?> best = null;
                        double bestCos = -2;
                        for (var e : proto.entrySet()) {
                            for (float[] t : held.get(i)) {
                                double dot = 0;
                                double n1 = 0;
                                double n2 = 0;
                                for (int j = 0; j < t.length; j++) {
                                    dot += e.getValue()[j] * t[j];
                                    n1 += e.getValue()[j] * e.getValue()[j];
                                    n2 += t[j] * t[j];
                                }
                                double c = dot / Math.sqrt(n1 * n2);
                                if (c > bestCos) {
                                    bestCos = c;
                                    best = e.getKey();
                                }
                            }
                        }
                        ok += a.getValue().apply(heldScenes.get(i)) == best ? 1 : 0;
                    }
                    System.out.printf(Locale.ROOT, "%s: read back from held-out captions' token states %.2f (chance %.2f; %d prototypes)%n",
                            a.getKey(), ok / (double) held.size(), 1.0 / proto.size(), proto.size());
                }
            }
        } finally {
            words.close();
        }
    }
}

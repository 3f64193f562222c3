package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.TensorSpec;
import org.kinora.inference.internal.tfjs.BlazePoseTranslator;
import org.kinora.inference.internal.tfjs.MoveNetTranslator;
import org.kinora.inference.internal.tfjs.NativeHeap;
import org.kinora.inference.internal.tfjs.RawTranslator;
import org.kinora.inference.internal.tfjs.SelfieTranslator;
import org.kinora.inference.internal.tfjs.TfjsBlock;
import org.kinora.inference.internal.tfjs.TfjsGraph;
import org.kinora.inference.internal.tfjs.TfjsModelFile;
import org.kinora.inference.internal.tfjs.TfjsTranslator;

/**
 * Opens {@code tfjs-graph} cards: TF.js graph models interpreted on DJL NDArray ops ({@link TfjsGraph}) as a DJL block
 * behind a DJL predictor, with the translator the card's processing names: {@code movenet}, {@code blazepose}, {@code
 * selfie-segmentation}, or {@code none} (raw graph tensors as the signature names them, batch dimension per frame).
 *
 * <p>It lives in this package, not in {@code internal.tfjs}, because the format seams ({@link ModelFormat}, {@link Model},
 * {@link LoadedModel}, {@link RunControl}) are package-private here.
 */
final class TfjsFormat implements ModelFormat {

    /** The card format. */
    static final String FORMAT = "tfjs-graph";
    /** Processings this format has. */
    static final Set<String> PROCESSING = Set.of("movenet", "blazepose", "selfie-segmentation", "none");

    /** Frames per micro-batch: each frame runs on its own (the graphs are batch-1), so this only bounds a call's length. */
    static final int MAX_BATCH = 8;

    /**
     * Working memory per input pixel of the model's square, from the interpreter's measured peak of live intermediates
     * ({@link TfjsGraph#lastPeakBytes}, printed by TfjsReferenceTest): MoveNet lightning 192² 4.4 MB (119 B/px), thunder 256²
     * 15.7 MB (240 B/px), BlazePose full 256² 9.6 MB (146 B/px), selfie 256² 3.7 MB (56 B/px); 384 leaves room for the
     * kernels' own scratch buffers.
     */
    static final long ACTIVATION_BYTES_PER_PIXEL = 384;
    /** A frame-size mask and its resize temporaries, budgeted for a 1920x1080 frame (3 float planes). */
    static final long FRAME_BYTES = 3L * 1920 * 1080 * 4;

    /** The format with no configuration; the service registers it in {@link ModelFormats}. */
    TfjsFormat() {
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Model open(ModelCard card, Path folder) throws InferenceException {
        if (!PROCESSING.contains(card.processing())) {
            throw new InferenceException("model '" + card.id() + "': tfjs-graph has no processing '" + card.processing()
                    + "' (it has: movenet, blazepose, selfie-segmentation, none)");
        }
        if (card.files().isEmpty() || !card.files().get(0).path().endsWith(".json")) {
            throw new InferenceException("model '" + card.id() + "': the first file of a tfjs-graph card must be its model.json");
        }
        return new TfjsModel(card, folder.resolve(card.files().get(0).path()));
    }

    /** A TF.js graph model of the store; reads its files only when loaded. */
    static final class TfjsModel implements Model {

        private final ModelCard card;
        private final Path modelJson;
        private long memory = -1;

        TfjsModel(ModelCard card, Path modelJson) {
            this.card = card;
            this.modelJson = modelJson;
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
         * Weights as fp32 (fp16 files double on load) plus the interpreter's working memory for the model's square input
         * ({@link #ACTIVATION_BYTES_PER_PIXEL}) plus one frame-size result plane set ({@link #FRAME_BYTES}). Reads
         * model.json once (not the shards); the card's own figure wins when it is larger.
         */
        @Override
        public synchronized long memoryBytes() {
            if (memory < 0) {
                long weights = 0;
                long side = 256;
                try {
                    if (Files.size(modelJson) <= TfjsModelFile.MAX_JSON_BYTES) {
                        var root = com.google.gson.JsonParser.parseString(Files.readString(modelJson)).getAsJsonObject();
                        for (var g : root.getAsJsonArray("weightsManifest")) {
                            for (var w : g.getAsJsonObject().getAsJsonArray("weights")) {
                                long n = 1;
                                for (var d : w.getAsJsonObject().getAsJsonArray("shape")) {
                                    n *= Math.max(1, d.getAsLong());
                                }
                                weights += 4 * n;
                            }
                        }
                        for (var node : root.getAsJsonObject("modelTopology").getAsJsonArray("node")) {
                            var o = node.getAsJsonObject();
                            if (o.get("op").getAsString().equals("Placeholder")) {
                                long s = o.getAsJsonObject("attr").getAsJsonObject("shape").getAsJsonObject("shape")
                                        .getAsJsonArray("dim").get(1).getAsJsonObject().get("size").getAsLong();
                                side = s > 0 ? s : side;
                            }
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    weights = Files.exists(modelJson) ? 2 * modelJson.getParent().toFile().length() : 0;
                }
                memory = Math.max(card.memoryBytes(), weights + ACTIVATION_BYTES_PER_PIXEL * side * side + FRAME_BYTES);
            }
            return memory;
        }

        @Override
        public LoadedModel load(Device device) throws InferenceException {
            NativeHeap.tune();
            TfjsModelFile file;
            try {
                file = TfjsModelFile.read(modelJson);
            } catch (IOException e) {
                throw new InferenceException("model '" + card.id() + "': cannot read " + modelJson + ": " + e.getMessage(), e);
            }
            ai.djl.Model djl = ai.djl.Model.newInstance(card.id(), device, Djl.ENGINE);
            try {
                TfjsGraph graph = new TfjsGraph(file, djl.getNDManager());
                TfjsTranslator<?> translator = translator(graph);
                TfjsBlock block = new TfjsBlock(graph, translator.outputs());
                djl.setBlock(block);
                return loaded(djl, graph, block, translator);
            } catch (RuntimeException e) {
                djl.close();
                throw new InferenceException("model '" + card.id() + "': " + e.getMessage(), e);
            }
        }

        private TfjsTranslator<?> translator(TfjsGraph graph) {
            return switch (card.processing()) {
                case "movenet" -> new MoveNetTranslator(graph.inputSize(192));
                case "blazepose" -> new BlazePoseTranslator();
                case "selfie-segmentation" -> new SelfieTranslator();
                default -> {
                    List<String> names = new ArrayList<>();
                    for (TensorSpec s : card.outputs()) {
                        if (graph.file().outputs().containsKey(s.name())) {
                            names.add(s.name());
                        }
                    }
                    yield new RawTranslator(graph.inputSize(256), graph.floatInput(),
                            names.size() == card.outputs().size() && !names.isEmpty() ? names
                                    : List.copyOf(graph.file().outputs().keySet()));
                }
            };
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private LoadedModel loaded(ai.djl.Model djl, TfjsGraph graph, TfjsBlock block, TfjsTranslator<?> translator) {
            Predictor<NDArray, Object> predictor = djl.newPredictor((TfjsTranslator) translator);
            NDArrayCall call = (NDManager scope, NDList inputs, Map<String, Object> parameters, RunControl control) -> {
                NDArray frames = inputs.get(0);
                long n = frames.getShape().get(0);
                List<NDList> perFrame = new ArrayList<>();
                block.checkpoint(control::checkpoint);
                for (long i = 0; i < n; i++) {
                    control.checkpoint();
                    NDArray frame = frames.get(new NDIndex(i));
                    Object out;
                    try {
                        out = predictor.predict(frame);
                    } catch (TranslateException e) {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            if (t instanceof CancellationException c) {
                                throw c;
                            }
                        }
                        throw new InferenceException("model '" + card.id() + "': " + e.getMessage(), e);
                    }
                    frame.close();
                    perFrame.add(out instanceof NDList l ? l : new NDList((NDArray) out));
                    control.progress((i + 1) / (double) n);
                }
                NDList result = new NDList();
                for (int k = 0; k < perFrame.get(0).size(); k++) {
                    NDList column = new NDList(perFrame.size());
                    for (NDList l : perFrame) {
                        column.add(l.get(k));
                    }
                    NDArray stacked = NDArrays.stack(column);
                    stacked.attach(scope);
                    result.add(stacked);
                }
                return result;
            };
            return NDArrayCall.loaded(card.info(), call, () -> {
                predictor.close();
                graph.close();
                djl.close();
            });
        }
    }
}

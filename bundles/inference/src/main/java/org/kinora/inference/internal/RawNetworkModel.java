package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;

/**
 * A user's network file run with processing {@code none} on one DJL engine (ONNX Runtime, PyTorch): the card's inputs go
 * to the network as NDArrays named as declared, and the card's outputs are taken from what it returns, by name when the
 * network names its outputs (ONNX), else by position (TorchScript). One {@link Predictor} per loaded model, so per worker
 * thread, as DJL's guides recommend.
 *
 * <p>Never batched: with raw tensors the service cannot know that dimension 0 of the network is a batch.
 */
public final class RawNetworkModel implements Model {

    private final ModelCard card;
    private final Path file;
    private final String engine;
    private final Map<String, ?> options;
    private final UnaryOperator<Device> placement;

    /**
     * @param card      the model's card (its inputs and outputs are the network's, processing {@code none})
     * @param file      the network file
     * @param engine    the DJL engine name, e.g. {@code OnnxRuntime}, {@code PyTorch}
     * @param options   the engine's load options (DJL {@code Model.load})
     * @param placement the device the network is loaded on, given the worker's device
     */
    public RawNetworkModel(ModelCard card, Path file, String engine, Map<String, ?> options, UnaryOperator<Device> placement) {
        this.card = card;
        this.file = file;
        this.engine = engine;
        this.options = Map.copyOf(options);
        this.placement = placement;
    }

    @Override
    public ModelInfo info() {
        return card.info();
    }

    @Override
    public long memoryBytes() {
        return memoryBytes(card, file);
    }

    /** The card's estimate, else the weights plus as much again for the engine's working memory (a guess the card should replace). */
    static long memoryBytes(ModelCard card, Path file) {
        if (card.memoryBytes() > 0) {
            return card.memoryBytes();
        }
        try {
            return 2 * Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Loads a network file on one engine and device; a failure names the model, the engine and the file. */
    static ai.djl.Model loadNetwork(ModelCard card, Path file, String engine, Map<String, ?> options, Device on)
            throws InferenceException {
        ai.djl.Model model = ai.djl.Model.newInstance(card.id(), on, engine);
        try {
            model.load(file, null, options);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new InferenceException("model '" + card.id() + "': " + engine + " cannot load " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public LoadedModel load(Device device) throws InferenceException {
        ai.djl.Model model = loadNetwork(card, file, engine, options, placement.apply(device));
        Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        return new Loaded(model, predictor);
    }

    private final class Loaded implements LoadedModel {
        private final ai.djl.Model model;
        private final Predictor<NDList, NDList> predictor;

        Loaded(ai.djl.Model model, Predictor<NDList, NDList> predictor) {
            this.model = model;
            this.predictor = predictor;
        }

        @Override
        public List<Tensor> call(NDManager scope, List<Tensor> inputs, Map<String, Object> parameters, RunControl control)
                throws InferenceException {
            control.checkpoint();
            // the arrays live on the network's own engine, in a manager freed when the call ends
            try (NDManager io = model.getNDManager().newSubManager()) {
                NDList in = new NDList(inputs.size());
                for (Tensor t : inputs) {
                    in.add(TensorCodec.toNDArray(io, t));
                }
                NDList out;
                try {
                    out = predictor.predict(in);
                } catch (TranslateException | RuntimeException e) {
                    throw new InferenceException("model '" + card.id() + "' (" + file.getFileName() + ") failed: " + e.getMessage(), e);
                }
                List<Tensor> result = outputs(out);
                control.progress(1);
                return result;
            }
        }

        private List<Tensor> outputs(NDList out) throws InferenceException {
            List<TensorSpec> declared = card.outputs();
            List<Tensor> tensors = new ArrayList<>(declared.size());
            boolean named = !out.isEmpty() && out.stream().allMatch(a -> a.getName() != null && !a.getName().isEmpty());
            for (int i = 0; i < declared.size(); i++) {
                TensorSpec spec = declared.get(i);
                NDArray a = named ? out.get(spec.name()) : i < out.size() ? out.get(i) : null;
                if (a == null) {
                    throw new InferenceException("model '" + card.id() + "': the network returned no output '" + spec.name()
                            + "' (it returned " + describe(out) + ")");
                }
                Tensor t = TensorCodec.toTensor(a, spec.name());
                if (t.type() != spec.type()) {
                    throw new InferenceException("model '" + card.id() + "': output '" + spec.name() + "' is " + t.type()
                            + ", the card declares " + spec.type());
                }
                tensors.add(t);
            }
            return tensors;
        }

        @Override
        public void close() {
            predictor.close();
            model.close();
        }
    }

    private static String describe(NDList out) {
        List<String> parts = new ArrayList<>();
        for (NDArray a : out) {
            parts.add((a.getName() == null ? "?" : a.getName()) + ":" + a.getDataType() + a.getShape());
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }
}

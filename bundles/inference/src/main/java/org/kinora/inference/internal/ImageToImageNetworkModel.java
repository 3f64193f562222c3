package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * A user's feed-forward image-to-image network (the fast-neural-style family, or anything with one image in and one image
 * of the same size out) behind the service's style contract: {@code frames UINT8 [N, H, W, 3]} in, the same out, with
 * {@code strength} in {@code [0, 1]} blending with the source, exactly as the built-in styles.
 *
 * <p>The card's single input and output are the network's own tensors: {@code FP32 [N, 3, H, W]} (or {@code [N, H, W, 3]}),
 * where a fixed {@code H, W} is the only size the network takes and a fixed {@code N} of 1 means one frame per run. The
 * processing names the pixel range: {@code image-to-image} 0..255 (pytorch/examples fast_neural_style and the ONNX model
 * zoo's style nets), {@code image-to-image-unit} 0..1, {@code image-to-image-signed} -1..1.
 *
 * <p>Frames larger than the network likes are cut into overlapping tiles: the network's fixed size, else at most
 * {@value #DEFAULT_TILE} pixels a side (parameter {@code tile}). Across the overlap with a neighbour, a tile's result is
 * dropped next to its edge (where the network saw padding, not the picture) and cross-faded linearly in the middle, so
 * no seam is left; sides that are the frame's own border keep full weight. Tiles are padded (border pixels repeated) to a multiple of {@value #ALIGN}, which the
 * stride-2 encoders of these networks need, and cropped back. All frames of a call go through each tile together.
 */
public final class ImageToImageNetworkModel implements Model {

    /** The pixel range a network works in. */
    public enum Range {
        /** 0..255. */
        BYTE("image-to-image", 0f, 255f),
        /** 0..1. */
        UNIT("image-to-image-unit", 0f, 1f),
        /** -1..1. */
        SIGNED("image-to-image-signed", -1f, 1f);

        private final String processing;
        private final float low;
        private final float high;

        Range(String processing, float low, float high) {
            this.processing = processing;
            this.low = low;
            this.high = high;
        }

        /** The card's processing name for this range. */
        public String processing() {
            return processing;
        }

        /** The range named by a card's processing, if it is an image-to-image one. */
        public static Optional<Range> of(String processing) {
            for (Range r : values()) {
                if (r.processing.equals(processing)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    /** The input and output tensor name, as for the built-in styles. */
    public static final String FRAMES = "frames";
    /** Largest tile side for a network that takes any size. */
    public static final int DEFAULT_TILE = 2048;
    /** Tile sides are padded to a multiple of this. */
    static final int ALIGN = 8;
    /** Overlap of neighbouring tiles: a quarter of the tile, at least this ... */
    static final int MIN_OVERLAP = 16;
    /** ... and at most this (a style network's receptive field rarely reaches further). */
    static final int MAX_OVERLAP = 128;

    private static final Set<String> PARAMETERS = Set.of("strength", "tile");
    private static final TensorSpec FRAMES_SPEC = new TensorSpec(FRAMES, TensorType.UINT8, new long[] {-1, -1, -1, 3});

    private final ModelCard card;
    private final Path file;
    private final String engine;
    private final Map<String, ?> options;
    private final UnaryOperator<Device> placement;
    private final Range range;
    private final Layout layout;

    /**
     * @param card      the card: one FP32 input and one FP32 output, the network's own
     * @param file      the network file
     * @param engine    the DJL engine name, e.g. {@code OnnxRuntime}, {@code PyTorch}
     * @param options   the engine's load options
     * @param placement the device the network is loaded on, given the worker's device
     * @throws InferenceException when the card does not describe an image-to-image network
     */
    public ImageToImageNetworkModel(ModelCard card, Path file, String engine, Map<String, ?> options,
                                    UnaryOperator<Device> placement) throws InferenceException {
        this.card = card;
        this.file = file;
        this.engine = engine;
        this.options = Map.copyOf(options);
        this.placement = placement;
        this.range = Range.of(card.processing()).orElseThrow(() -> new InferenceException("model '" + card.id()
                + "': processing '" + card.processing() + "' is not an image-to-image one"));
        this.layout = Layout.of(card);
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(card.id(), "image-to-image", card.format(), card.description(), List.of(FRAMES_SPEC), List.of(FRAMES_SPEC));
    }

    @Override
    public long memoryBytes() {
        return RawNetworkModel.memoryBytes(card, file);
    }

    @Override
    public int maxBatch() {
        return layout.batch > 0 ? 1 : 4;
    }

    @Override
    public LoadedModel load(Device device) throws InferenceException {
        ai.djl.Model model = RawNetworkModel.loadNetwork(card, file, engine, options, placement.apply(device));
        return new Loaded(model, model.newPredictor(new NoopTranslator()));
    }

    /** Where the channels are, and the sizes the network insists on (0 = any). */
    private record Layout(boolean channelsLast, long batch, long height, long width) {
        static Layout of(ModelCard card) throws InferenceException {
            if (card.inputs().size() != 1 || card.outputs().size() != 1) {
                throw new InferenceException("model '" + card.id() + "': an image-to-image network takes one input and gives one"
                        + " output (the card has " + card.inputs().size() + " and " + card.outputs().size() + ")");
            }
            TensorSpec in = card.inputs().get(0);
            long[] s = in.shape();
            if (in.type() != TensorType.FP32 || s.length != 4 || card.outputs().get(0).type() != TensorType.FP32) {
                throw new InferenceException("model '" + card.id() + "': an image-to-image network takes and gives FP32 [N, 3, H, W]"
                        + " (or [N, H, W, 3]); the card declares " + in);
            }
            boolean last = s[1] != 3 && s[3] == 3;
            if (!last && s[1] != 3 && s[1] > 0) {
                throw new InferenceException("model '" + card.id() + "': input '" + in.name() + "' has " + s[1]
                        + " channels; an image-to-image network takes 3 (RGB)");
            }
            long h = last ? s[1] : s[2];
            long w = last ? s[2] : s[3];
            return new Layout(last, Math.max(0, s[0]), Math.max(0, h), Math.max(0, w));
        }

        boolean fixedSize() {
            return height > 0 && width > 0;
        }
    }

    static int overlap(int tile) {
        return Math.max(MIN_OVERLAP, Math.min(tile / 4, MAX_OVERLAP));
    }

    /** Tile starts and sizes along one axis. */
    record Axis(int length, int tile, int[] starts) {
        /** Tiles of {@code tile} covering {@code length} with at least {@code overlap} shared by neighbours. */
        static Axis of(int length, int tile, int overlap) {
            if (length <= tile) {
                return new Axis(length, length, new int[] {0});
            }
            int n = (int) Math.ceil((length - overlap) / (double) (tile - overlap));
            int[] starts = new int[n];
            for (int i = 0; i < n; i++) {
                starts[i] = (int) Math.round(i * (length - tile) / (double) (n - 1));
            }
            return new Axis(length, tile, starts);
        }

        /**
         * The weight of each pixel of tile {@code i}. Across the overlap with a neighbour, the outer quarter (next to the
         * tile's edge, where the network saw padding instead of the picture) has weight 0, and the middle cross-fades
         * linearly, so that neighbours' weights sum to 1; everywhere else 1.
         */
        float[] ramp(int i) {
            float[] w = new float[tile];
            java.util.Arrays.fill(w, 1f);
            if (i > 0) {
                fade(w, starts[i - 1] + tile - starts[i], false);
            }
            if (i < starts.length - 1) {
                fade(w, starts[i] + tile - starts[i + 1], true);
            }
            return w;
        }

        private static void fade(float[] w, int overlap, boolean fromEnd) {
            int margin = overlap / 4;
            int ramp = Math.max(1, overlap - 2 * margin);
            for (int k = 0; k < overlap && k < w.length; k++) {
                float v = k < margin ? 0f : Math.min(1f, (k - margin + 0.5f) / ramp);
                int at = fromEnd ? w.length - 1 - k : k;
                w[at] = Math.min(w[at], v);
            }
        }
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
            float strength = Params.unitNumber(card.id(), parameters, "strength", 1.0);
            int tileLimit = tileLimit(parameters);
            // the pixel work runs on the service's engine; only the network itself runs on its own
            try (NDManager own = scope == null ? NDManager.newBaseManager(model.getNDManager().getDevice(), Djl.ENGINE) : null) {
                NDManager m = scope == null ? own : scope;
                NDArray frames = TensorCodec.toNDArray(m, inputs.get(0));
                NDArray out = strength == 0f ? frames : style(m, frames, strength, tileLimit, control);
                control.progress(1);
                return List.of(TensorCodec.toTensor(out, FRAMES));
            }
        }

        private int tileLimit(Map<String, Object> parameters) throws InferenceException {
            Object v = parameters.get("tile");
            for (String name : parameters.keySet()) {
                if (!PARAMETERS.contains(name)) {
                    throw new InvalidInferenceRequestException("model '" + card.id() + "': unknown parameter '" + name
                            + "' (parameters: strength, tile)");
                }
            }
            if (v == null) {
                return DEFAULT_TILE;
            }
            int t;
            try {
                t = v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                t = -1;
            }
            if (t < 64 || t > 8192) {
                throw new InvalidInferenceRequestException("model '" + card.id() + "': parameter 'tile' must be a whole number of"
                        + " pixels in [64, 8192], got '" + v + "'");
            }
            return t;
        }

        private NDArray style(NDManager m, NDArray frames, float strength, int tileLimit, RunControl control)
                throws InferenceException {
            long[] s = frames.getShape().getShape();
            int n = (int) s[0];
            int h = (int) s[1];
            int w = (int) s[2];
            NDArray src = frames.toType(DataType.FLOAT32, false).transpose(0, 3, 1, 2).divi(255f);
            int th = layout.fixedSize() ? (int) layout.height : Math.min(tileLimit, h);
            int tw = layout.fixedSize() ? (int) layout.width : Math.min(tileLimit, w);
            Axis rows = Axis.of(h, th, overlap(th));
            Axis cols = Axis.of(w, tw, overlap(tw));
            NDArray acc = m.zeros(new Shape(n, 3, h, w));
            NDArray weight = m.zeros(new Shape(1, 1, h, w));
            int tiles = rows.starts().length * cols.starts().length;
            int done = 0;
            for (int i = 0; i < rows.starts().length; i++) {
                for (int j = 0; j < cols.starts().length; j++) {
                    control.checkpoint();
                    int y0 = rows.starts()[i];
                    int x0 = cols.starts()[j];
                    try (NDManager tileScope = m.newSubManager()) {
                        NDIndex at = new NDIndex(":, :, {}:{}, {}:{}", y0, y0 + rows.tile(), x0, x0 + cols.tile());
                        NDArray tile = src.get(at);
                        tile.attach(tileScope);
                        NDArray styled = runTile(tileScope, tile, n);
                        float[] wy = rows.ramp(i);
                        float[] wx = cols.ramp(j);
                        float[] wt = new float[wy.length * wx.length];
                        for (int y = 0; y < wy.length; y++) {
                            for (int x = 0; x < wx.length; x++) {
                                wt[y * wx.length + x] = wy[y] * wx[x];
                            }
                        }
                        NDArray tw8 = tileScope.create(wt, new Shape(1, 1, wy.length, wx.length));
                        acc.set(at, acc.get(at).add(styled.mul(tw8)));
                        weight.set(at, weight.get(at).add(tw8));
                    }
                    control.progress(++done / (double) (tiles + 1));
                }
            }
            NDArray styled = acc.divi(weight);
            NDArray blended = strength == 1f ? styled : src.add(styled.sub(src).muli(strength));
            return blended.clip(0f, 1f).muli(255f).addi(0.5f).toType(DataType.UINT8, false).transpose(0, 2, 3, 1);
        }

        /** One tile of every frame through the network: [N, 3, th, tw] in 0..1 to the same in 0..1. */
        private NDArray runTile(NDManager m, NDArray tile, int n) throws InferenceException {
            long th = tile.getShape().get(2);
            long tw = tile.getShape().get(3);
            long ph;
            long pw;
            if (layout.fixedSize()) {
                ph = layout.height;
                pw = layout.width;
            } else {
                ph = (th + ALIGN - 1) / ALIGN * ALIGN;
                pw = (tw + ALIGN - 1) / ALIGN * ALIGN;
            }
            NDArray x = ph > th || pw > tw ? ImageOps.padSides(tile, 0, ph - th, 0, pw - tw) : tile;
            x = x.mul(range.high - range.low).addi(range.low);
            NDList results = new NDList();
            // a network fixed at one frame per run gets them one by one
            int step = layout.batch == 1 ? 1 : n;
            for (int f = 0; f < n; f += step) {
                NDArray part = step == n ? x : x.get(new NDIndex("{}:{}", f, f + step));
                results.add(forward(m, part, ph, pw));
            }
            NDArray y = results.size() == 1 ? results.get(0) : ai.djl.ndarray.NDArrays.concat(results, 0);
            y = y.sub(range.low).divi(range.high - range.low);
            return ph > th || pw > tw ? y.get(new NDIndex(":, :, 0:{}, 0:{}", th, tw)) : y;
        }

        private NDArray forward(NDManager m, NDArray x, long ph, long pw) throws InferenceException {
            NDArray in = layout.channelsLast ? x.transpose(0, 2, 3, 1) : x;
            NDList out;
            try (NDManager io = model.getNDManager().newSubManager()) {
                NDArray net = io.from(in);
                try {
                    out = predictor.predict(new NDList(net));
                } catch (TranslateException | RuntimeException e) {
                    throw new InferenceException("model '" + card.id() + "' (" + file.getFileName() + ") failed on a "
                            + pw + "x" + ph + " tile: " + e.getMessage(), e);
                }
                if (out.isEmpty()) {
                    throw new InferenceException("model '" + card.id() + "' returned nothing");
                }
                NDArray y = m.from(out.get(0));
                y.attach(m); // the same engine hands back the network's own array, freed with io otherwise
                y = y.toType(DataType.FLOAT32, false);
                if (layout.channelsLast && y.getShape().dimension() == 4) {
                    y = y.transpose(0, 3, 1, 2);
                }
                Shape want = new Shape(x.getShape().get(0), 3, ph, pw);
                if (!y.getShape().equals(want)) {
                    throw new InferenceException("model '" + card.id() + "' returned " + y.getShape() + " for a " + in.getShape()
                            + " input; an image-to-image network must return an image of the size it was given");
                }
                return y;
            }
        }

        @Override
        public void close() {
            predictor.close();
            model.close();
        }
    }
}

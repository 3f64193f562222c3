package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * {@code motion-brush}: animates a still with a dense motion field, after Holynski et al. 2021, "Animating Pictures with
 * Eulerian Motion Fields".
 *
 * <p>Inputs: {@code image UINT8 [1, H, W, 3]} (the still), {@code flow FP32 [1, H, W, 2]} (a time-invariant Eulerian
 * velocity field, pixels per frame) and {@code wave FP32 [1, H, W, 4]} (per pixel amplitude x, amplitude y in pixels,
 * phase in radians, period in frames; a period of 0 or less means no wave) and {@code hold FP32 [1, H, W, 1]} (in [0, 1]:
 * how much of the still is composited over the animated frame, 1 = the still exactly; a freeze mask), in this order.
 * Parameters {@code total} (frames in the whole
 * clip, the loop length N), {@code start}, {@code count} (the frames this call renders), {@code loop} and {@code crossfade}
 * (in (0, 1]: the part of the loop over which each pixel crossfades). Output
 * {@code frames UINT8 [count, H, W, 3]}.
 *
 * <p>Frame t: every moving pixel's position is integrated with Euler steps {@code x_{k+1} = x_k + M(x_k)}, M sampled
 * bilinearly at the advected position, t steps forward; the wave adds {@code a * sin(2 pi t / period - phase)}. The still is
 * forward-splatted to those positions (bilinear splatting of colour and weight to the 4 target neighbours, summed per
 * target, then normalized). With {@code loop}, the backward positions (integrating {@code -M} for N - t steps, wave at
 * t - N) are splatted too (symmetric splatting): Holynski et al. weight them {@code 1 - t/N} and {@code t/N} over the
 * whole picture, which shows every moving thing twice mid-loop; here each moving pixel crossfades over only a part
 * ({@code crossfade}, default {@value Crossfade#DEFAULT_WINDOW}) of the loop at its own time (see {@link Crossfade}).
 * Frame N would still equal frame 0, so the clip wraps without a jump, and frame 0 is the still (where the wave is 0 at
 * t = 0).
 *
 * <p>Held pixels: the animated frame is worked out as if nothing were held (the flow runs on under a held region, so
 * moving content passes behind it instead of piling up at its edge), then {@code still * hold + animated * (1 - hold)}.
 * Where nothing moves (animated = still) that is the still exactly, whatever the hold.
 *
 * <p>Static pixels (flow exactly 0 and no wave) never move under this integration, so they are taken from the still as
 * they are: static regions are the still exactly, and moving content that would be splatted onto them stays behind
 * them. Holes (target pixels whose splatted weight is below {@value #HOLE_WEIGHT}, where the motion stretches the
 * picture or carries it away) blend towards the still backward-warped by the displacement at that pixel (sampled
 * bilinearly at {@code x - D(x)}), so every pixel gets a value.
 *
 * <p>Positions after n steps follow the rule of {@link EulerMaps}: an anchor map every {@value EulerMaps#ANCHOR} steps,
 * composed from repeatedly squared 8-step maps in O(log n) field samples, then plain Euler steps up to n. So a call that
 * starts at frame {@code start} (and, with {@code loop}, the backward positions N - t steps away) costs a few dozen field
 * samples instead of N steps, and a frame's positions depend on t alone: a clip rendered in chunks equals one call exactly.
 * Composition differs from plain stepping only where the displacement is not linear between grid points (the edges of a
 * moving region): on the tests' fields under 0.5 px at a few pixels, under 0.001 px on average.
 *
 * <p>Loaded (as the service runs it), the model keeps what a render prepares before its first frame (see {@link Cache}):
 * the effect renders a clip in chunk calls with the same still and fields, and the Euler maps' levels then are built once.
 *
 * <p>Only moving pixels are integrated, splatted and written; a frame starts as a copy of the still. Splats land on a
 * canvas with a 2-pixel ring that takes those falling outside the picture, so no target needs a test;
 * sampled fields are padded by a replicated row and column so the four neighbours come in one gather.
 */
final class MotionBrushModel implements BuiltinModel {

    static final String ID = "motion-brush";
    static final String IMAGE = "image";
    static final String FLOW = "flow";
    static final String WAVE = "wave";
    static final String HOLD = "hold";
    static final String FRAMES = "frames";
    static final String TOTAL = "total";
    static final String START = "start";
    static final String COUNT = "count";
    static final String LOOP = "loop";
    static final String CROSSFADE = "crossfade";

    /** Below this splatted weight a pixel is (partly) a hole and blends towards the backward-warped still. */
    static final float HOLE_WEIGHT = 0.5f;
    /** Frames whose backward positions are worked out together (bounds the positions held at once). */
    private static final int BLOCK = 8;
    /** A bound on N: far more than any clip, small enough that the integration stays finite. */
    static final long MAX_TOTAL = 1_000_000;
    /** A bound on one call's output. */
    static final long MAX_OUTPUT_BYTES = 1L << 30;

    private static final List<String> PARAMETERS = List.of(TOTAL, START, COUNT, LOOP, CROSSFADE);

    private final ModelInfo info = new ModelInfo(ID, "image-to-video", FORMAT,
            "Motion brush: animates a still from a dense Eulerian motion field (Holynski et al. 2021, \"Animating Pictures "
                    + "with Eulerian Motion Fields\"): Euler integration of the velocity field with bilinear sampling, plus a "
                    + "per-pixel sine wave, then forward splatting of the still; loops blend forward and backward splats "
                    + "(symmetric splatting) so the clip wraps seamlessly, each pixel crossfading over a part of the loop at "
                    + "its own time (a staggered crossfade, parameter 'crossfade'; 1 = Holynski et al.'s global one) so "
                    + "moving things rarely show twice. Static pixels stay the still exactly. Input 'hold' (a freeze mask in "
                    + "[0, 1]) composites the still over the animated frame: still * hold + animated * (1 - hold).",
            List.of(new TensorSpec(IMAGE, TensorType.UINT8, new long[] {1, -1, -1, 3}),
                    new TensorSpec(FLOW, TensorType.FP32, new long[] {1, -1, -1, 2}),
                    new TensorSpec(WAVE, TensorType.FP32, new long[] {1, -1, -1, 4}),
                    new TensorSpec(HOLD, TensorType.FP32, new long[] {1, -1, -1, 1})),
            List.of(new TensorSpec(FRAMES, TensorType.UINT8, new long[] {-1, -1, -1, 3})));

    /** Euler steps between the composed anchor maps (see {@link EulerMaps}). */
    private final int anchor;

    MotionBrushModel() {
        this(EulerMaps.ANCHOR);
    }

    /**
     * @param anchor Euler steps between composed anchor maps; {@link Integer#MAX_VALUE} integrates step by step (the
     *     reference the tests measure the composition against)
     */
    MotionBrushModel(int anchor) {
        this.anchor = anchor;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** What one call renders. */
    record Range(long total, long start, long count, boolean loop, double crossfade) {
    }

    /** Loaded, it keeps the last render's preparation between its chunk calls (see {@link Cache}). */
    @Override
    public LoadedModel load(ai.djl.Device device) {
        Cache cache = new Cache();
        return NDArrayCall.loaded(info, (scope, inputs, parameters, control) -> run(scope, inputs, parameters, control, cache), cache::close);
    }

    /** One call without a cache (everything prepared for this call alone). */
    @Override
    public NDList run(NDManager scope, NDList inputs, Map<String, Object> parameters, RunControl control) throws InferenceException {
        return run(scope, inputs, parameters, control, null);
    }

    NDList run(NDManager scope, NDList inputs, Map<String, Object> parameters, RunControl control, Cache cache)
            throws InferenceException {
        Range range = range(parameters);
        NDArray image = inputs.get(0);
        NDArray flow = inputs.get(1);
        NDArray wave = inputs.get(2);
        NDArray hold = inputs.get(3);
        Shape s = image.getShape();
        long h = s.get(1);
        long w = s.get(2);
        for (NDArray a : List.of(flow, wave, hold)) {
            Shape as = a.getShape();
            if (as.get(1) != h || as.get(2) != w) {
                throw new InvalidInferenceRequestException("model '" + ID + "': input tensor '" + (a == flow ? FLOW : a == wave ? WAVE : HOLD)
                        + "' must have the image's size " + h + " x " + w + ", got " + Arrays.toString(as.getShape()));
            }
        }
        if (range.count() * h * w * 3 > MAX_OUTPUT_BYTES) {
            throw new InvalidInferenceRequestException("model '" + ID + "': " + range.count() + " frames of " + w + " x " + h
                    + " exceed the output limit of " + MAX_OUTPUT_BYTES + " bytes; lower '" + COUNT + "'");
        }
        if (cache == null) {
            return render(scope, image, flow, wave, hold, h, w, range, control, null);
        }
        synchronized (cache) {
            return render(scope, image, flow, wave, hold, h, w, range, control, cache);
        }
    }

    private NDList render(NDManager scope, NDArray image, NDArray flow, NDArray wave, NDArray hold, long h, long w, Range range,
            RunControl control, Cache cache) throws InferenceException {
        try (NDManager work = scope.newSubManager()) {
            NDArray f = flow.reshape(h * w, 2);
            NDArray wv = wave.reshape(h * w, 4);
            NDArray hd = hold.reshape(h * w, 1);
            f.tempAttach(work);
            wv.tempAttach(work);
            hd.tempAttach(work);
            Prepared prep;
            if (cache != null) {
                prep = cache.get(image, f, wv, hd, h, w, anchor);
            } else {
                checkInputs(f, wv, hd);
                prep = new Prepared(work, image, f, wv, hd, h, w, anchor);
            }
            List<NDArray> frames = new Renderer(work, prep, range, control).render();
            NDArray out = frames.size() == 1 ? frames.get(0) : NDArrays.concat(new NDList(frames), 0);
            out = out.reshape(range.count(), h, w, 3);
            out.attach(scope);
            out.setName(FRAMES);
            return new NDList(out);
        }
    }

    private static void checkInputs(NDArray flow, NDArray wave, NDArray hold) throws InvalidInferenceRequestException {
        checkFinite(flow, FLOW);
        checkFinite(wave, WAVE);
        checkFinite(hold, HOLD);
        try (NDArray out = hold.lt(0f).logicalOr(hold.gt(1f)).any()) {
            if (out.getBoolean()) {
                throw new InvalidInferenceRequestException("model '" + ID + "': input tensor '" + HOLD + "' must lie in [0, 1]");
            }
        }
    }

    private static void checkFinite(NDArray a, String name) throws InvalidInferenceRequestException {
        try (NDArray bad = a.isNaN().logicalOr(a.isInfinite()).any()) {
            if (bad.getBoolean()) {
                throw new InvalidInferenceRequestException("model '" + ID + "': input tensor '" + name + "' holds NaN or infinite values");
            }
        }
    }

    /** The parameters, validated. */
    static Range range(Map<String, Object> parameters) throws InvalidInferenceRequestException {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new InvalidInferenceRequestException("model '" + ID + "': unknown parameter '" + name + "' (parameters: "
                        + String.join(", ", PARAMETERS) + ")");
            }
        }
        if (!parameters.containsKey(TOTAL)) {
            throw new InvalidInferenceRequestException("model '" + ID + "': parameter '" + TOTAL + "' (frames in the whole clip) is required");
        }
        long total = integer(parameters, TOTAL, 1, MAX_TOTAL, 0);
        long start = integer(parameters, START, 0, total - 1, 0);
        long count = integer(parameters, COUNT, 1, total - start, total - start);
        boolean loop = bool(parameters, LOOP, true);
        double crossfade = fraction(parameters, CROSSFADE, Crossfade.DEFAULT_WINDOW);
        return new Range(total, start, count, loop, crossfade);
    }

    private static long integer(Map<String, Object> parameters, String name, long min, long max, long fallback)
            throws InvalidInferenceRequestException {
        Object v = parameters.get(name);
        if (v == null) {
            return fallback;
        }
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            n = ((Number) v).longValue();
        } else {
            double d = Params.number(v);
            if (!(d == Math.rint(d)) || Math.abs(d) > 1e15) {
                throw new InvalidInferenceRequestException("model '" + ID + "': parameter '" + name + "' must be an integer, got '" + v + "'");
            }
            n = (long) d;
        }
        if (n < min || n > max) {
            String why = switch (name) {
                case START -> " (start < total = " + (max + 1) + ")";
                case COUNT -> " (start + count <= total)";
                default -> "";
            };
            throw new InvalidInferenceRequestException("model '" + ID + "': parameter '" + name + "' must be in [" + min + ", " + max
                    + "]" + why + ", got " + v);
        }
        return n;
    }

    /** A number in (0, 1]. */
    private static double fraction(Map<String, Object> parameters, String name, double fallback) throws InvalidInferenceRequestException {
        Object v = parameters.get(name);
        if (v == null) {
            return fallback;
        }
        double d = Params.number(v);
        if (!(d > 0 && d <= 1)) {
            throw new InvalidInferenceRequestException("model '" + ID + "': parameter '" + name + "' must be a number in (0, 1], got '"
                    + v + "'");
        }
        return d;
    }

    private static boolean bool(Map<String, Object> parameters, String name, boolean fallback) throws InvalidInferenceRequestException {
        Object v = parameters.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String t = String.valueOf(v).trim();
        if (t.equalsIgnoreCase("true")) {
            return true;
        }
        if (t.equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidInferenceRequestException("model '" + ID + "': parameter '" + name + "' must be true or false, got '" + v + "'");
    }

    /**
     * What a render derives from its still and fields before any frame: the moving pixels, their colours, waves and switch
     * times, the padded flow and the Euler maps' levels. Kept in {@code store}: the call's own manager, or the cache's,
     * where the chunk calls of one render share it.
     */
    static final class Prepared {

        /** Width of the ring around the splat canvas that takes the splats falling outside the picture. */
        static final int RING = 2;

        final NDManager store;
        final long h;
        final long w;
        /** The still, [H * W, 3] float and UINT8. */
        final NDArray still;
        final NDArray still8;
        /** Flat indices of the moving pixels, [M]. */
        NDArray moving;
        /** Their indices on the splat canvas ((H + 2 RING) x (W + 2 RING)), [M]. */
        NDArray movingOnCanvas;
        /** Their grid positions (x, y), [M, 2]; null when nothing moves. */
        NDArray home;
        /** Their colours, with a 1 appended (the splat weight), [M, 1, 4]. */
        NDArray colour;
        /** Their wave: amplitude (x, y), phase, angular frequency (0 for none), [M, 4]; null when nothing waves. */
        NDArray wave;
        /** Their hold (see {@link MotionBrushModel}), [M, 1]; null when no moving pixel is held. */
        NDArray hold;
        /** Their switch field for the crossfade (see {@link Crossfade#switchField}), [M, 1]. */
        NDArray switchField;
        /** Splat target offsets of the 4 neighbours on the canvas, [1, 4]. */
        NDArray corners;
        EulerMaps forwardMaps;
        EulerMaps backwardMaps;
        private Field stillPadded;

        /**
         * From {@code image} ([1, H, W, 3]), {@code flow} ([H * W, 2]), {@code wave} ([H * W, 4]) and {@code hold}
         * ([H * W, 1]); kept in {@code store}.
         */
        Prepared(NDManager store, NDArray image, NDArray flow, NDArray wave, NDArray hold, long h, long w, int anchor) {
            this.store = store;
            this.h = h;
            this.w = w;
            // everything is worked out on the scratch manager and only what is kept moves to the store
            try (NDManager tmp = store.newSubManager()) {
                for (NDArray a : List.of(image, flow, wave, hold)) {
                    a.tempAttach(tmp);
                }
                NDArray stillF = image.reshape(h * w, 3).toType(DataType.FLOAT32, false);
                NDArray period = wave.get(":, 3");
                NDArray waving = period.gt(0f).logicalAnd(wave.get(":, 0:2").abs().sum(new int[] {1}).gt(0f));
                NDArray flowing = flow.abs().sum(new int[] {1}).gt(0f);
                NDArray mv = flowing.logicalOr(waving).nonzero().reshape(-1);
                long m = mv.getShape().get(0);
                if (m > 0) {
                    NDArray x = mv.mod(w);
                    // float64: exact for any picture size
                    NDArray y = mv.sub(x).toType(DataType.FLOAT64, false).div((double) w).round().toType(DataType.INT64, false);
                    NDArray hm = NDArrays.concat(new NDList(x.reshape(-1, 1), y.reshape(-1, 1)), 1).toType(DataType.FLOAT32, false);
                    this.movingOnCanvas = keep(y.add(RING).muli(w + 2 * RING).addi(x.add(RING)));
                    long cw = w + 2 * RING;
                    // made in its final shape: an array made from Java data wraps a buffer only it keeps alive, so a
                    // view of it kept after it is gone would read freed memory
                    this.corners = keep(tmp.create(new long[] {0, 1, cw, cw + 1}, new Shape(1, 4)));
                    this.colour = keep(NDArrays.concat(new NDList(stillF.get(mv), tmp.ones(new Shape(m, 1))), 1).reshape(m, 1, 4));
                    if (waving.any().getBoolean()) {
                        NDArray wm = wave.get(mv);
                        NDArray per = wm.get(":, 3:4");
                        NDArray omega = per.gt(0f).toType(DataType.FLOAT32, false).mul(2 * Math.PI).div(per.maximum(1e-6f));
                        this.wave = keep(NDArrays.concat(new NDList(wm.get(":, 0:3"), omega), 1));
                    }
                    // only moving pixels can differ from the still, so only theirs is composited
                    NDArray hm2 = hold.get(mv);
                    if (hm2.gt(0f).any().getBoolean()) {
                        this.hold = keep(hm2);
                    }
                    this.switchField = keep(Crossfade.switchField(hm, Crossfade.directions(flow.get(mv)), h, w));
                    Field field = Field.of(flow, h, w);
                    keep(field.data());
                    this.home = keep(hm);
                    this.forwardMaps = new EulerMaps(store, field, mv, home, 1f, anchor);
                    this.backwardMaps = new EulerMaps(store, field, mv, home, -1f, anchor);
                }
                this.moving = keep(mv);
                this.still8 = keep(stillF.toType(DataType.UINT8, false));
                this.still = keep(stillF);
            }
        }

        private NDArray keep(NDArray a) {
            a.attach(store);
            return a;
        }

        /** The still, padded for sampling (made on first use: only frames with holes need it). */
        Field stillField() {
            if (stillPadded == null) {
                stillPadded = Field.of(still, h, w);
                stillPadded.data().attach(store);
            }
            return stillPadded;
        }
    }

    /**
     * The last render's {@link Prepared}, kept between calls: the effect renders a clip in chunks of a few frames, each a
     * call with the same still and fields, and preparing (the Euler maps' levels above all) would otherwise be redone for
     * every chunk. A call reuses it only when its image, flow and wave are equal, element for element, to those it was
     * made from (compared on the device, a pass over the inputs); anything else replaces it. One entry; freed when the
     * model is unloaded. Calls holding it are serialized.
     */
    static final class Cache implements AutoCloseable {

        private NDManager manager;
        private NDArray image;
        private NDArray flow;
        private NDArray wave;
        private NDArray hold;
        private Prepared prepared;

        /**
         * The preparation for these inputs (flow [H * W, 2], wave [H * W, 4], hold [H * W, 1]), made now or earlier. Call
         * holding the lock.
         */
        Prepared get(NDArray image, NDArray flow, NDArray wave, NDArray hold, long h, long w, int anchor)
                throws InvalidInferenceRequestException {
            if (prepared != null && same(this.image, image) && same(this.flow, flow) && same(this.wave, wave) && same(this.hold, hold)) {
                return prepared;
            }
            close();
            checkInputs(flow, wave, hold);
            manager = image.getManager().getEngine().newBaseManager(image.getDevice());
            this.image = copy(image);
            this.flow = copy(flow);
            this.wave = copy(wave);
            this.hold = copy(hold);
            prepared = new Prepared(manager, image, flow, wave, hold, h, w, anchor);
            return prepared;
        }

        private NDArray copy(NDArray a) {
            NDArray c = a.duplicate();
            c.attach(manager);
            return c;
        }

        private static boolean same(NDArray kept, NDArray a) {
            return kept.getDevice().equals(a.getDevice()) && kept.getShape().equals(a.getShape())
                    && kept.getDataType() == a.getDataType() && kept.contentEquals(a);
        }

        @Override
        public synchronized void close() {
            if (manager != null) {
                manager.close();
            }
            manager = null;
            prepared = null;
            image = null;
            flow = null;
            wave = null;
            hold = null;
        }
    }

    /** One call's rendering: positions of the moving pixels, integrated and splatted frame by frame. */
    private static final class Renderer {

        private static final int RING = Prepared.RING;

        private final NDManager work;
        private final Prepared prep;
        private final long h;
        private final long w;
        private final Range range;
        private final RunControl control;
        private final NDArray home;
        private final NDArray wave;
        private final NDArray colour;
        /** The crossfade offsets of the moving pixels (see {@link Crossfade#offsets}), [M, 1]; null without loop. */
        private NDArray offsets;
        private final Crossfade crossfade;

        Renderer(NDManager work, Prepared prep, Range range, RunControl control) {
            this.work = work;
            this.prep = prep;
            this.h = prep.h;
            this.w = prep.w;
            this.range = range;
            this.control = control;
            this.home = prep.home;
            this.wave = prep.wave;
            this.colour = prep.colour;
            this.crossfade = new Crossfade(range.crossfade());
        }

        List<NDArray> render() {
            long n = range.count();
            List<NDArray> frames = new ArrayList<>((int) n);
            if (home == null) {
                NDArray still8 = prep.still8.duplicate();
                still8.attach(work);
                for (long i = 0; i < n; i++) {
                    control.checkpoint();
                    frames.add(still8);
                    control.progress((i + 1) / (double) n);
                }
                return frames;
            }
            if (range.loop()) {
                offsets = crossfade.offsets(prep.switchField);
                offsets.attach(work);
            }
            NDArray forward = prep.forwardMaps.at(range.start(), work, control);
            for (long b0 = range.start(); b0 < range.start() + n; b0 += BLOCK) {
                long b1 = Math.min(b0 + BLOCK, range.start() + n);
                NDArray[] backward = range.loop() ? backward(b0, b1) : null;
                for (long t = b0; t < b1; t++) {
                    control.checkpoint();
                    NDArray back = backward == null ? null : backward[(int) (t - b0)];
                    frames.add(frame(t, forward, back));
                    if (back != null) {
                        back.close();
                    }
                    if (t + 1 < range.start() + n) {
                        NDArray next = prep.forwardMaps.next(forward, t, control);
                        forward.close();
                        forward = next;
                    }
                    control.progress((frames.size()) / (double) n);
                }
            }
            return frames;
        }

        /** The backward positions of frames {@code b0 .. b1-1}: {@code -M} integrated N - t steps (null where t = 0: its weight is 0). */
        private NDArray[] backward(long b0, long b1) {
            NDArray[] out = new NDArray[(int) (b1 - b0)];
            long total = range.total();
            long lo = total - (b1 - 1);
            NDArray q = prep.backwardMaps.at(lo, work, control);
            for (long s = lo; ; s++) {
                long t = total - s;
                if (t == 0) {
                    q.close();
                    break;
                }
                out[(int) (t - b0)] = q;
                if (t == b0) {
                    break;
                }
                q = prep.backwardMaps.next(q, s, control);
            }
            return out;
        }

        /** The wave's displacement at frame {@code t}, [M, 2]. */
        private NDArray waveAt(double t) {
            NDArray s = wave.get(":, 3:4").mul((float) t).subi(wave.get(":, 2:3")).sin();
            return wave.get(":, 0:2").mul(s);
        }

        /** Frame {@code t}: UINT8 [H * W, 3], attached to {@code work}. */
        private NDArray frame(long t, NDArray forward, NDArray backward) {
            double a = backward == null ? 0 : (double) t / range.total();
            return ImageOps.stage(() -> {
                NDArray pf = wave == null ? forward : forward.add(waveAt(t));
                NDList idx = new NDList();
                NDList val = new NDList();
                NDArray pb = null;
                if (backward == null) {
                    splat(pf, null, idx, val);
                } else {
                    pb = wave == null ? backward : backward.add(waveAt(t - range.total()));
                    NDArray g = crossfade.backwardShare(offsets, a);
                    splat(pf, g.neg().addi(1f), idx, val);
                    splat(pb, g, idx, val);
                }
                NDArray indices = (idx.size() == 1 ? idx.get(0) : NDArrays.concat(idx, 0)).reshape(1, -1);
                NDArray values = val.size() == 1 ? val.get(0) : NDArrays.concat(val, 0);
                NDArray acc = Splat.accumulate(indices, values, (h + 2 * RING) * (w + 2 * RING)).get(prep.movingOnCanvas);
                NDArray weight = acc.get(":, 3:4");
                NDArray splatted = acc.get(":, 0:3").div(weight.maximum(1e-6f));
                NDArray out = held(holes(splatted, weight, pf, pb, a));
                NDArray px = out.addi(0.5f).clip(0f, 255f).toType(DataType.UINT8, false);
                NDArray frame = prep.still8.duplicate();
                frame.set(new NDIndex("{}", prep.moving), px);
                return frame;
            }, forward, backward == null ? forward : backward, offsets == null ? forward : offsets, prep.still, home, colour,
                    wave == null ? home : wave, prep.still8, prep.moving, prep.movingOnCanvas, prep.corners, prep.switchField,
                    prep.hold == null ? home : prep.hold);
        }

        /** {@code still * hold + animated * (1 - hold)} over the moving pixels ([M, 3]); exact at hold 0 and 1. */
        private NDArray held(NDArray animated) {
            if (prep.hold == null) {
                return animated;
            }
            NDArray stillM = prep.colour.get(":, 0, 0:3");
            return stillM.mul(prep.hold).addi(animated.mul(prep.hold.neg().addi(1f)));
        }

        /**
         * Bilinear splat parts of the moving pixels at positions {@code p} with blend weights {@code k} ([M, 1]; null: 1):
         * target indices on the canvas (a splat outside the picture lands on the canvas's ring, never read) and values
         * (colour * weight, weight), [4M] and [4M, 4].
         */
        private void splat(NDArray p, NDArray k, NDList idx, NDList val) {
            long m = p.getShape().get(0);
            Field.Bilinear b = Field.Bilinear.of(p.get(":, 0:1"), p.get(":, 1:2"), k);
            // a neighbour pair wholly outside the picture is clamped onto the ring: its weight lands there and is dropped
            NDArray cx = b.x0().clip(-RING, w).addi(RING).toType(DataType.INT64, false);
            NDArray cy = b.y0().clip(-RING, h).addi(RING).toType(DataType.INT64, false);
            NDArray base = cy.muli(w + 2 * RING).addi(cx);
            idx.add(base.add(prep.corners).reshape(-1));
            val.add(colour.mul(b.weights()).reshape(m * 4, 4));
        }

        /**
         * Where the splatted weight is below {@link #HOLE_WEIGHT}, blends towards the still backward-warped by the
         * displacement at that pixel ({@code x - D(x)}, D of the forward and backward splats blended like them at that pixel,
         * {@code phase} = t / N). Holes are
         * only ever at moving pixels (static ones are the still), so all of this is over the moving pixels, [M, 3].
         */
        private NDArray holes(NDArray splatted, NDArray weight, NDArray pf, NDArray pb, double phase) {
            NDArray alpha = weight.div(HOLE_WEIGHT).clip(0f, 1f);
            NDArray hole = alpha.lt(1f).reshape(-1).nonzero().reshape(-1);
            long nh = hole.getShape().get(0);
            if (nh == 0) {
                return splatted;
            }
            NDArray hf = pf.get(hole);
            NDArray hh = home.get(hole);
            NDArray d = hf.sub(hh);
            if (pb != null) {
                NDArray b = crossfade.backwardShare(offsets.get(hole), phase);
                d.muli(b.neg().addi(1f)).addi(pb.get(hole).sub(hh).muli(b));
            }
            NDArray fill = prep.stillField().sample(hh.sub(d));
            NDArray a = alpha.get(hole);
            NDArray blended = splatted.get(hole).mul(a).addi(fill.mul(a.neg().addi(1f)));
            NDArray out = splatted.duplicate();
            out.set(new NDIndex("{}", hole), blended);
            return out;
        }
    }
}

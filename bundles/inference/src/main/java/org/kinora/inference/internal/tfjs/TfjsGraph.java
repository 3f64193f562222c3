package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An interpreter of a TF.js GraphDef on DJL NDArray ops, resident on one device.
 *
 * <p>Semantics are TensorFlow's (NHWC), but 4-D activations are kept in NCHW between the ops that do not care (convolutions,
 * pooling, resize, element-wise ops, pads and channel concats), because that is the layout PyTorch's kernels want; a value is
 * transposed back to NHWC only where an op's TF semantics depend on the axis order (reshape, gather, pack...) and at the
 * outputs. Weights are converted once, at construction: conv filters pre-transposed to PyTorch's {@code OIHW} (depthwise to
 * {@code [C*M, 1, kh, kw]}).
 *
 * <p>A {@link #run} executes the nodes between the input placeholder and the requested outputs in a topological order
 * computed once per output set, frees each intermediate as soon as its last consumer ran, and calls the checkpoint between
 * ops so a call can be cancelled within a step. Instances are not thread-safe: one per worker (DJL's own rule for predictors).
 */
public final class TfjsGraph implements AutoCloseable {

    /** Ops this interpreter implements. */
    public static final Set<String> OPS = Set.of("Const", "Placeholder", "Identity", "Cast", "Unpack", "Pack", "ExpandDims",
            "Squeeze", "Reshape", "ConcatV2", "Sub", "Mul", "AddV2", "Add", "AddN", "RealDiv", "FloorDiv", "SquaredDifference",
            "Sqrt", "Sigmoid", "Relu", "Relu6", "_FusedConv2D", "FusedDepthwiseConv2dNative", "DepthwiseConv2dNative", "Conv2D",
            "Conv2DBackpropInput", "Pad", "MaxPool", "AvgPool", "ResizeBilinear", "ArgMax", "GatherNd");

    /** {@code torch::nn::functional::InterpolateFuncOptions} mode index of bilinear, as DJL's JNI takes it. */
    private static final int TORCH_BILINEAR = 2;

    private static final Set<String> CONV_OPS = Set.of("_FusedConv2D", "FusedDepthwiseConv2dNative", "DepthwiseConv2dNative",
            "Conv2D", "Conv2DBackpropInput");

    private final TfjsModelFile file;
    private final NDManager manager;
    private final Map<String, GraphNode> nodes = new LinkedHashMap<>();
    private final Map<String, HostTensor> hostConsts;
    /** Constants in TF layout, created only for constants some non-filter input reads. */
    private final Map<String, NDArray> consts = new HashMap<>();
    /** Conv filters in PyTorch layout, by the conv node's name. */
    private final Map<String, NDArray> filters = new HashMap<>();
    private final Map<String, Plan> plans = new HashMap<>();
    /** Relu6's upper bound, made once: a scalar made per op costs more than a small op (DJL builds it through a buffer). */
    private final NDArray six;
    private final String placeholder;
    private long lastPeakBytes;
    /**
     * With {@code -Dkinora.tfjs.profile=true} the runs add up the time spent per op kind; {@link #takeProfile} reads it, and
     * {@link #close} prints what is left (stderr).
     */
    private static final boolean PROFILE = Boolean.getBoolean("kinora.tfjs.profile");
    /** Per op kind: nanoseconds, executions. */
    private final Map<String, long[]> profile = new HashMap<>();
    private int profileRuns;
    /** With {@code -Dkinora.tfjs.profile.detail=true} as well, convolutions are profiled per input/filter shape and stride. */
    private static final boolean DETAIL = Boolean.getBoolean("kinora.tfjs.profile.detail");

    /**
     * Builds the interpreter on {@code manager}'s device; the weights live on {@code manager} until {@link #close}.
     *
     * @throws IllegalArgumentException naming the op and node when the graph holds an op this interpreter does not have or
     *                                  attributes it does not support
     */
    public TfjsGraph(TfjsModelFile file, NDManager manager) {
        this.file = file;
        this.manager = manager;
        this.hostConsts = file.weights();
        String ph = null;
        for (GraphNode n : file.nodes()) {
            nodes.put(n.name(), n);
        }
        for (GraphNode n : file.nodes()) {
            check(n);
            if (n.op().equals("Placeholder")) {
                if (ph != null) {
                    throw new IllegalArgumentException(file.source() + ": more than one Placeholder ('" + ph + "', '" + n.name()
                            + "'); only single-input graphs are supported");
                }
                ph = n.name();
            }
            for (GraphNode.Ref r : n.inputs()) {
                if (!nodes.containsKey(r.node())) {
                    throw new IllegalArgumentException(file.source() + ": " + n.describe() + " reads unknown node '" + r.node() + "'");
                }
            }
        }
        if (ph == null) {
            throw new IllegalArgumentException(file.source() + ": the graph has no Placeholder input");
        }
        this.placeholder = ph;
        this.six = manager.create(6f);
        boolean ok = false;
        try {
            for (GraphNode n : file.nodes()) {
                if (CONV_OPS.contains(n.op())) {
                    filters.put(n.name(), filter(n));
                }
                for (int k = 0; k < n.inputs().size(); k++) {
                    GraphNode src = nodes.get(n.inputs().get(k).node());
                    if (src.op().equals("Const") && !isFilterSlot(n, k) && !consts.containsKey(src.name())) {
                        consts.put(src.name(), create(hostConsts.get(src.name())));
                    }
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                close();
            }
        }
    }

    /** The model file this graph was built from. */
    public TfjsModelFile file() {
        return file;
    }

    /** The input placeholder's node. */
    public GraphNode placeholder() {
        return nodes.get(placeholder);
    }

    /** The side of the placeholder's square input ({@code [N, S, S, 3]}), or {@code fallback} when the graph leaves it open. */
    public int inputSize(int fallback) {
        GraphNode ph = nodes.get(placeholder);
        com.google.gson.JsonObject shape = ph.attr().getAsJsonObject("shape");
        try {
            var dims = shape.getAsJsonObject("shape").getAsJsonArray("dim");
            long s = dims.get(1).getAsJsonObject().get("size").getAsLong();
            return s > 0 ? (int) s : fallback;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /** Whether the placeholder takes float32 (else int32). */
    public boolean floatInput() {
        return dataType(nodes.get(placeholder).type("dtype", "DT_FLOAT")) == DataType.FLOAT32;
    }

    /** Bytes the live intermediates reached at most during the last {@link #run} (device memory beyond the weights). */
    public long lastPeakBytes() {
        return lastPeakBytes;
    }

    /** Bytes of the resident weights. */
    public long weightBytes() {
        long b = 0;
        for (NDArray a : consts.values()) {
            b += a.size() * 4;
        }
        for (NDArray a : filters.values()) {
            b += a.size() * 4;
        }
        return b;
    }

    /**
     * Runs the graph on {@code input} (NHWC, the placeholder's dtype) and returns the requested tensors (NHWC, TF layout),
     * attached to {@code scope}. Intermediates are allocated on a sub-manager of {@code scope} and freed as they die.
     *
     * @param outputs    graph tensors, {@code "node"} or {@code "node:1"}, or signature output keys
     * @param checkpoint called between ops; throws to cancel
     */
    public NDList run(NDManager scope, NDArray input, List<String> outputs, Runnable checkpoint) {
        List<GraphNode.Ref> refs = new ArrayList<>();
        for (String o : outputs) {
            GraphNode.Ref r = file.outputs().get(o);
            refs.add(r != null ? r : GraphNode.Ref.parse(o));
        }
        Plan plan = plans.computeIfAbsent(String.join("\u0000", outputs), k -> plan(refs));
        DataType want = dataType(nodes.get(placeholder).type("dtype", "DT_FLOAT"));
        if (input.getDataType() != want) {
            throw new IllegalArgumentException(file.source() + ": input is " + input.getDataType() + " but the graph's placeholder '"
                    + placeholder + "' takes " + want);
        }
        try (NDManager work = scope.newSubManager()) {
            Map<String, Value[]> values = new HashMap<>();
            Map<String, Integer> remaining = new HashMap<>(plan.consumers);
            long live = 0;
            long peak = 0;
            for (GraphNode n : plan.order) {
                checkpoint.run();
                Value[] in = new Value[n.inputs().size()];
                for (int k = 0; k < in.length; k++) {
                    if (isFilterSlot(n, k)) {
                        continue;
                    }
                    GraphNode.Ref r = n.inputs().get(k);
                    Value[] produced = values.get(r.node());
                    if (produced == null || r.index() >= produced.length) {
                        throw new IllegalStateException(n.describe() + ": input " + r + " was not produced");
                    }
                    in[k] = produced[r.index()];
                }
                Value[] out;
                long opStart = PROFILE ? System.nanoTime() : 0;
                Integer through = plan.passThrough.get(n.name());
                try (Ops ops = new Ops(work, n, plan)) {
                    out = n.op().equals("Placeholder") ? new Value[] {new Value(input, false, false)}
                            : through != null ? new Value[] {in[through]} : ops.exec(in);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(file.source().getFileName() + ": " + n.describe() + " failed: " + e.getMessage(), e);
                }
                for (int o = 0; o < out.length; o++) {
                    Value v = out[o];
                    for (Value i : in) {
                        if (through == null && i != null && i.array == v.array) {
                            // an op handed back its input unchanged: give the output a handle of its own
                            v = out[o] = new Value(v.array.reshape(v.array.getShape()), v.nchw, true);
                        }
                    }
                    if (v.owned && through == null) {
                        if (v.array.getManager() != work) {
                            v.array.attach(work);
                        }
                        live += v.array.size() * v.array.getDataType().getNumOfBytes();
                    }
                }
                peak = Math.max(peak, live);
                if (PROFILE) {
                    String pk = n.op();
                    if (DETAIL && filters.containsKey(n.name())) {
                        pk = n.op() + " in" + in[n.op().equals("Conv2DBackpropInput") ? 2 : 0].array.getShape()
                                + " w" + filters.get(n.name()).getShape() + " s" + Arrays.toString(n.ints("strides")) + n.s("padding", "");
                    }
                    profile.computeIfAbsent(pk, k -> new long[2])[0] += System.nanoTime() - opStart;
                    profile.get(pk)[1]++;
                }
                values.put(n.name(), out);
                for (int k = 0; k < n.inputs().size(); k++) {
                    if (isFilterSlot(n, k)) {
                        continue;
                    }
                    GraphNode.Ref r = n.inputs().get(k);
                    String key = r.node() + ":" + r.index();
                    int left = remaining.merge(key, -1, Integer::sum);
                    if (left == 0 && !plan.outputs.contains(key) && (through == null || k != through)) {
                        Value v = values.get(r.node())[r.index()];
                        if (v.owned) {
                            live -= v.array.size() * v.array.getDataType().getNumOfBytes();
                            v.array.close();
                        }
                    }
                }
            }
            lastPeakBytes = peak;
            if (PROFILE) {
                profileRuns++;
            }
            NDList result = new NDList(refs.size());
            for (GraphNode.Ref r : refs) {
                Value v = values.get(r.node())[r.index()];
                NDArray a = v.nchw ? v.array.transpose(0, 2, 3, 1) : v.array.reshape(v.array.getShape());
                // a contiguous copy: the caller's tensor must not keep the whole intermediate's storage alive
                NDArray c = a.duplicate();
                a.close();
                c.attach(scope);
                c.setName(r.toString());
                result.add(c);
            }
            return result;
        }
    }

    /**
     * The time per op kind (ms per run, executions per run, slowest first) added up since the last call, or an empty string
     * unless {@code -Dkinora.tfjs.profile=true}; resets the counts.
     */
    public String takeProfile() {
        if (profileRuns == 0) {
            return "";
        }
        int runs = profileRuns;
        long total = profile.values().stream().mapToLong(v -> v[0]).sum();
        String s = String.format("tfjs profile %s, %d run(s), %.2f ms/run: ", file.source().getFileName(), runs, total / 1e6 / runs)
                + String.join(", ", profile.entrySet().stream()
                        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                        .map(e -> String.format("%s %.2f ms x%d", e.getKey(), e.getValue()[0] / 1e6 / runs, e.getValue()[1] / runs))
                        .toList());
        profile.clear();
        profileRuns = 0;
        return s;
    }

    @Override
    public void close() {
        if (PROFILE && profileRuns > 0) {
            System.err.println(takeProfile());
        }
        six.close();
        consts.values().forEach(NDArray::close);
        filters.values().forEach(NDArray::close);
        consts.clear();
        filters.clear();
    }

    // ---------------------------------------------------------------- planning

    /**
     * An execution order with its refcounts, plus the bias folds found for it: {@code biases} maps an unfused conv to the
     * constant of the Add that is its only consumer (the conv adds it itself), {@code passThrough} maps such an Add to the
     * input slot of its conv (it hands the conv's result on unchanged).
     */
    private record Plan(List<GraphNode> order, Map<String, Integer> consumers, Set<String> outputs, Map<String, String> biases,
                        Map<String, Integer> passThrough) {
    }

    private Plan plan(List<GraphNode.Ref> outputs) {
        Set<String> outputKeys = new HashSet<>();
        for (GraphNode.Ref r : outputs) {
            if (!nodes.containsKey(r.node())) {
                throw new IllegalArgumentException(file.source() + ": no graph tensor '" + r + "' (signature outputs: "
                        + file.outputs().keySet() + ")");
            }
            outputKeys.add(r.node() + ":" + r.index());
        }
        // iterative post-order DFS: deep graphs must not overflow the stack
        List<GraphNode> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        for (GraphNode.Ref r : outputs) {
            stack.push(new Object[] {nodes.get(r.node()), 0});
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                GraphNode n = (GraphNode) top[0];
                int k = (Integer) top[1];
                if (k == 0) {
                    if (done.contains(n.name())) {
                        stack.pop();
                        continue;
                    }
                    onPath.add(n.name());
                }
                while (k < n.inputs().size() && isFilterSlot(n, k)) {
                    k++;
                }
                if (k < n.inputs().size()) {
                    top[1] = k + 1;
                    GraphNode child = nodes.get(n.inputs().get(k).node());
                    if (onPath.contains(child.name())) {
                        throw new IllegalArgumentException(file.source() + ": cycle through " + child.describe());
                    }
                    if (!done.contains(child.name())) {
                        stack.push(new Object[] {child, 0});
                    }
                } else {
                    stack.pop();
                    onPath.remove(n.name());
                    done.add(n.name());
                    order.add(n);
                }
            }
        }
        Map<String, Integer> consumers = new HashMap<>();
        for (GraphNode n : order) {
            for (int k = 0; k < n.inputs().size(); k++) {
                if (isFilterSlot(n, k)) {
                    continue;
                }
                GraphNode.Ref r = n.inputs().get(k);
                consumers.merge(r.node() + ":" + r.index(), 1, Integer::sum);
            }
        }
        Map<String, String> biases = new HashMap<>();
        Map<String, Integer> passThrough = new HashMap<>();
        for (GraphNode n : order) {
            if ((n.op().equals("Add") || n.op().equals("AddV2")) && n.inputs().size() == 2) {
                for (int k = 0; k < 2; k++) {
                    GraphNode.Ref x = n.inputs().get(k);
                    GraphNode conv = nodes.get(x.node());
                    GraphNode c = nodes.get(n.inputs().get(1 - k).node());
                    String key = x.node() + ":" + x.index();
                    if (x.index() == 0 && (conv.op().equals("Conv2D") || conv.op().equals("DepthwiseConv2dNative"))
                            && consumers.get(key) == 1 && !outputKeys.contains(key) && !biases.containsKey(conv.name())
                            && c.op().equals("Const") && isBias(hostConsts.get(c.name()), filters.get(conv.name()))) {
                        // Conv2D + Add(per-channel constant) as TF's converter leaves unfused convs: one conv with a bias
                        biases.put(conv.name(), c.name());
                        passThrough.put(n.name(), k);
                        break;
                    }
                }
            }
        }
        return new Plan(List.copyOf(order), consumers, outputKeys, biases, passThrough);
    }

    /** Whether {@code t} is a float vector with one value per output channel of {@code filter} (OIHW). */
    private static boolean isBias(HostTensor t, NDArray filter) {
        return t != null && !t.isInt() && t.shape().length == 1 && filter != null && t.shape()[0] == filter.getShape().get(0);
    }

    /** Conv filters are read from {@link #filters}, converted at load; their Const nodes are never executed. */
    private static boolean isFilterSlot(GraphNode n, int k) {
        return k == 1 && CONV_OPS.contains(n.op());
    }

    // ---------------------------------------------------------------- load-time checks and weights

    private void check(GraphNode n) {
        if (!OPS.contains(n.op())) {
            throw new IllegalArgumentException(file.source() + ": unsupported op " + n.describe() + " (supported: "
                    + String.join(", ", new java.util.TreeSet<>(OPS)) + ")");
        }
        String fmt = n.s("data_format", "NHWC");
        if (!fmt.equals("NHWC")) {
            throw new IllegalArgumentException(file.source() + ": " + n.describe() + " has data_format " + fmt + " (only NHWC)");
        }
        if (n.op().startsWith("Fused") || n.op().equals("_FusedConv2D")) {
            List<String> fused = n.strings("fused_ops");
            if (fused.isEmpty() || !fused.get(0).equals("BiasAdd") || fused.size() > 2
                    || fused.size() == 2 && !Set.of("Relu", "Relu6").contains(fused.get(1))) {
                throw new IllegalArgumentException(file.source() + ": " + n.describe() + " fuses " + fused
                        + " (supported: BiasAdd, BiasAdd+Relu, BiasAdd+Relu6)");
            }
        }
        if (n.op().equals("Const") && !hostConsts.containsKey(n.name())) {
            throw new IllegalArgumentException(file.source() + ": " + n.describe() + " has no value");
        }
        if (CONV_OPS.contains(n.op()) || n.op().equals("MaxPool") || n.op().equals("AvgPool")) {
            String padding = n.s("padding", "VALID");
            if (!Set.of("SAME", "VALID", "EXPLICIT").contains(padding)) {
                throw new IllegalArgumentException(file.source() + ": " + n.describe() + " has padding " + padding);
            }
        }
    }

    private NDArray create(HostTensor t) {
        Shape shape = new Shape(t.shape());
        return t.isInt() ? manager.create(t.ints(), shape) : manager.create(t.floats(), shape);
    }

    /** The conv filter of {@code n} in PyTorch layout. */
    private NDArray filter(GraphNode n) {
        GraphNode src = nodes.get(n.inputs().get(1).node());
        HostTensor t = hostConsts.get(src.name());
        if (!src.op().equals("Const") || t == null || t.isInt() || t.shape().length != 4) {
            throw new IllegalArgumentException(file.source() + ": " + n.describe() + " needs a constant 4-D float filter, got "
                    + src.describe());
        }
        try (NDArray hwio = create(t)) {
            if (n.op().contains("Depthwise")) {
                long c = t.shape()[2];
                long m = t.shape()[3];
                // TF output channel c*M+m is PyTorch group c's m-th filter
                try (NDArray cmhw = hwio.transpose(2, 3, 0, 1)) {
                    return cmhw.reshape(c * m, 1, t.shape()[0], t.shape()[1]).duplicate();
                }
            }
            if (n.op().equals("Conv2DBackpropInput") && strideIsKernel(n, t.shape())) {
                // non-overlapping blocks: every input pixel writes its own kh x kw block, so the transposed conv is a 1x1
                // conv to R*kh*kw channels ([r][a][c] = filter[a, c, r, :]) followed by a pixel shuffle
                long kh = t.shape()[0];
                long kw = t.shape()[1];
                try (NDArray rhwb = hwio.transpose(2, 0, 1, 3)) {
                    return rhwb.reshape(t.shape()[2] * kh * kw, t.shape()[3], 1, 1).duplicate();
                }
            }
            if (n.op().equals("Conv2DBackpropInput")) {
                // DJL's PyTorch engine has no transposed conv: it runs as a conv over the zero-dilated input with the
                // spatially flipped kernel, whose [out=result channels, in=backprop channels] layout is HW[result][backprop]
                try (NDArray ri = hwio.transpose(2, 3, 0, 1); NDArray flipped = ri.flip(2, 3)) {
                    return flipped.duplicate();
                }
            }
            // HWIO -> OIHW
            try (NDArray oihw = hwio.transpose(3, 2, 0, 1)) {
                return oihw.duplicate();
            }
        }
    }

    /** Whether a Conv2DBackpropInput's strides equal its kernel ({@code filter} is HWIO), so its blocks do not overlap. */
    private static boolean strideIsKernel(GraphNode n, long[] filter) {
        long[] strides = n.ints("strides");
        return strides.length == 4 && strides[1] == filter[0] && strides[2] == filter[1];
    }

    static DataType dataType(String tfType) {
        return switch (tfType) {
            case "DT_FLOAT" -> DataType.FLOAT32;
            case "DT_INT32" -> DataType.INT32;
            case "DT_INT64" -> DataType.INT64;
            case "DT_BOOL" -> DataType.BOOLEAN;
            case "DT_UINT8" -> DataType.UINT8;
            default -> throw new IllegalArgumentException("unsupported dtype " + tfType);
        };
    }

    // ---------------------------------------------------------------- values and ops

    /**
     * A graph value: {@code array} holds it in TF layout, or, when {@code nchw}, a 4-D NHWC value stored as NCHW.
     * {@code owned} values are intermediates of this run (freed by refcount); the others are weights or the caller's input.
     */
    private record Value(NDArray array, boolean nchw, boolean owned) {
    }

    /** The ops of one node; temporaries it registers are closed when it is done. */
    private final class Ops implements AutoCloseable {

        private final NDManager work;
        private final GraphNode n;
        private final Plan plan;
        private final List<NDArray> temps = new ArrayList<>();

        Ops(NDManager work, GraphNode n, Plan plan) {
            this.work = work;
            this.n = n;
            this.plan = plan;
        }

        @Override
        public void close() {
            temps.forEach(NDArray::close);
        }

        private NDArray temp(NDArray a) {
            temps.add(a);
            return a;
        }

        /** {@code v} in TF layout (a temporary view when it is stored NCHW). */
        private NDArray tf(Value v) {
            return v.nchw ? temp(v.array.transpose(0, 2, 3, 1)) : v.array;
        }

        /** 4-D {@code v} in NCHW (a temporary view when it is stored NHWC). */
        private NDArray nchw(Value v) {
            if (v.nchw) {
                return v.array;
            }
            if (v.array.getShape().dimension() != 4) {
                throw new IllegalArgumentException("expects a 4-D NHWC tensor, got shape " + v.array.getShape());
            }
            return temp(v.array.transpose(0, 3, 1, 2));
        }

        /** {@code v} ready to broadcast against NCHW-stored values (NHWC-broadcastable shapes padded to 4-D and permuted). */
        private NDArray broadcastNchw(Value v) {
            if (v.nchw) {
                return v.array;
            }
            Shape s = v.array.getShape();
            if (s.dimension() == 0) {
                return v.array;
            }
            if (s.dimension() > 4) {
                throw new IllegalArgumentException("cannot broadcast shape " + s + " against a 4-D tensor");
            }
            long[] d = new long[4];
            Arrays.fill(d, 1);
            System.arraycopy(s.getShape(), 0, d, 4 - s.dimension(), s.dimension());
            return temp(temp(v.array.reshape(d)).transpose(0, 3, 1, 2));
        }

        private Value out(NDArray a, boolean nchw) {
            // DJL may hand back a temporary itself (toType to the same type): it must outlive this op then
            temps.removeIf(t -> t == a);
            return new Value(a, nchw, true);
        }

        /** A host int vector read from a constant input (or, if computed, from the device). */
        private int[] ints(Value v, GraphNode.Ref ref) {
            HostTensor t = hostConsts.get(ref.node());
            if (t != null && t.isInt() && nodes.get(ref.node()).op().equals("Const")) {
                return t.ints();
            }
            NDArray a = tf(v);
            return a.getDataType() == DataType.INT32 ? a.toIntArray() : temp(a.toType(DataType.INT32, false)).toIntArray();
        }

        private int intArg(Value[] in, int k) {
            int[] v = ints(in[k], n.inputs().get(k));
            if (v.length != 1) {
                throw new IllegalArgumentException("expects a scalar at input " + k + ", got " + v.length + " values");
            }
            return v[0];
        }

        Value[] exec(Value[] in) {
            return switch (n.op()) {
                case "Const" -> new Value[] {new Value(consts.get(n.name()), false, false)};
                case "Identity" -> new Value[] {out(in[0].array.reshape(in[0].array.getShape()), in[0].nchw)};
                case "Cast" -> new Value[] {out(in[0].array.toType(dataType(n.type("DstT", "DT_FLOAT")), false), in[0].nchw)};
                case "Sqrt" -> new Value[] {out(in[0].array.sqrt(), in[0].nchw)};
                case "Sigmoid" -> new Value[] {out(in[0].array.getNDArrayInternal().sigmoid(), in[0].nchw)};
                case "Relu" -> new Value[] {out(in[0].array.getNDArrayInternal().relu(), in[0].nchw)};
                case "Relu6" -> new Value[] {out(relu6(in[0].array), in[0].nchw)};
                case "Sub", "Mul", "AddV2", "Add", "RealDiv", "FloorDiv", "SquaredDifference" -> new Value[] {binary(in[0], in[1])};
                case "AddN" -> new Value[] {addN(in)};
                case "Unpack" -> unpack(in[0]);
                case "Pack" -> new Value[] {pack(in)};
                case "ExpandDims" -> {
                    NDArray x = tf(in[0]);
                    int axis = intArg(in, 1);
                    yield new Value[] {out(x.expandDims(axis < 0 ? x.getShape().dimension() + 1 + axis : axis), false)};
                }
                case "Squeeze" -> new Value[] {squeeze(in[0])};
                case "Reshape" -> {
                    int[] shape = ints(in[1], n.inputs().get(1));
                    long[] s = Arrays.stream(shape).asLongStream().toArray();
                    yield new Value[] {out(tf(in[0]).reshape(s), false)};
                }
                case "ConcatV2" -> new Value[] {concat(in)};
                case "_FusedConv2D", "FusedDepthwiseConv2dNative", "DepthwiseConv2dNative", "Conv2D" -> new Value[] {conv(in)};
                case "Conv2DBackpropInput" -> new Value[] {deconv(in)};
                case "Pad" -> new Value[] {pad(in)};
                case "MaxPool", "AvgPool" -> new Value[] {pool(in[0])};
                case "ResizeBilinear" -> new Value[] {resize(in)};
                case "ArgMax" -> {
                    NDArray x = tf(in[0]);
                    int axis = intArg(in, 1);
                    NDArray idx = temp(x.argMax(axis < 0 ? x.getShape().dimension() + axis : axis));
                    yield new Value[] {out(idx.toType(dataType(n.type("output_type", "DT_INT64")), false), false)};
                }
                case "GatherNd" -> new Value[] {gatherNd(tf(in[0]), tf(in[1]))};
                default -> throw new IllegalArgumentException("unsupported op");
            };
        }

        private NDArray relu6(NDArray x) {
            try (NDArray r = x.getNDArrayInternal().relu()) {
                return r.minimum(six);
            }
        }

        private Value binary(Value a, Value b) {
            boolean nchw = a.nchw || b.nchw;
            NDArray x = nchw ? broadcastNchw(a) : a.array;
            NDArray y = nchw ? broadcastNchw(b) : b.array;
            NDArray r = switch (n.op()) {
                case "Sub" -> x.sub(y);
                case "Mul" -> x.mul(y);
                case "AddV2", "Add" -> x.add(y);
                case "RealDiv" -> x.div(y);
                case "SquaredDifference" -> {
                    NDArray d = temp(x.sub(y));
                    yield d.mul(d);
                }
                case "FloorDiv" -> {
                    if (x.getDataType().isInteger()) {
                        // exact in float64 for int32 operands, and floors toward -inf as TF does
                        NDArray q = temp(temp(temp(x.toType(DataType.FLOAT64, false)).div(temp(y.toType(DataType.FLOAT64, false)))).floor());
                        yield q.toType(x.getDataType(), false);
                    }
                    yield temp(x.div(y)).floor();
                }
                default -> throw new IllegalArgumentException("not a binary op");
            };
            return out(r, nchw);
        }

        private Value addN(Value[] in) {
            boolean nchw = Arrays.stream(in).anyMatch(Value::nchw);
            NDArray sum = nchw ? broadcastNchw(in[0]) : in[0].array;
            sum = sum.add(nchw ? broadcastNchw(in[1]) : in[1].array);
            for (int k = 2; k < in.length; k++) {
                sum = sum.addi(nchw ? broadcastNchw(in[k]) : in[k].array);
            }
            return out(sum, nchw);
        }

        private Value[] unpack(Value v) {
            NDArray x = tf(v);
            int rank = x.getShape().dimension();
            int axis = (int) n.i("axis", 0);
            axis = axis < 0 ? rank + axis : axis;
            int num = (int) x.getShape().get(axis);
            NDList parts = x.split(num, axis);
            Value[] out = new Value[num];
            for (int k = 0; k < num; k++) {
                out[k] = out(parts.get(k).squeeze(axis), false);
                parts.get(k).close();
            }
            return out;
        }

        private Value pack(Value[] in) {
            NDList list = new NDList(in.length);
            for (Value v : in) {
                list.add(tf(v));
            }
            int axis = (int) n.i("axis", 0);
            int rank = list.get(0).getShape().dimension();
            return out(NDArrays.stack(list, axis < 0 ? rank + 1 + axis : axis), false);
        }

        private Value squeeze(Value v) {
            NDArray x = tf(v);
            long[] dims = n.ints("squeeze_dims");
            if (dims.length == 0) {
                return out(x.squeeze(), false);
            }
            int rank = x.getShape().dimension();
            int[] axes = Arrays.stream(dims).mapToInt(d -> (int) (d < 0 ? rank + d : d)).toArray();
            return out(x.squeeze(axes), false);
        }

        private Value concat(Value[] in) {
            int count = in.length - 1;
            int axis = intArg(in, count);
            boolean anyNchw = false;
            boolean all4 = true;
            for (int k = 0; k < count; k++) {
                anyNchw |= in[k].nchw;
                all4 &= in[k].array.getShape().dimension() == 4;
            }
            NDList list = new NDList(count);
            if (anyNchw && all4) {
                int a = axis < 0 ? 4 + axis : axis;
                int mapped = new int[] {0, 2, 3, 1}[a];
                for (int k = 0; k < count; k++) {
                    list.add(nchw(in[k]));
                }
                return out(NDArrays.concat(list, mapped), true);
            }
            for (int k = 0; k < count; k++) {
                list.add(tf(in[k]));
            }
            int rank = list.get(0).getShape().dimension();
            return out(NDArrays.concat(list, axis < 0 ? rank + axis : axis), false);
        }

        /** {@code [top, bottom, left, right]} padding for a conv/pool over {@code h x w} input. */
        private long[] padding(long h, long w, long kh, long kw, long sh, long sw, long dh, long dw) {
            String mode = n.s("padding", "VALID");
            if (mode.equals("VALID")) {
                return new long[4];
            }
            if (mode.equals("EXPLICIT")) {
                long[] p = n.ints("explicit_paddings");
                if (p.length != 8 || p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0) {
                    throw new IllegalArgumentException("explicit_paddings must be 8 values padding H and W only, got " + Arrays.toString(p));
                }
                return new long[] {p[2], p[3], p[4], p[5]};
            }
            // TF SAME: output ceil(in/stride); the odd pixel of padding goes to the bottom/right
            long ekh = (kh - 1) * dh + 1;
            long ekw = (kw - 1) * dw + 1;
            long ph = Math.max(0, ((h + sh - 1) / sh - 1) * sh + ekh - h);
            long pw = Math.max(0, ((w + sw - 1) / sw - 1) * sw + ekw - w);
            return new long[] {ph / 2, ph - ph / 2, pw / 2, pw - pw / 2};
        }

        /** Applies padding: symmetric parts through the kernel's own padding, any asymmetric rest as an explicit pad. */
        private NDArray prePad(NDArray x, long[] p, double value) {
            if (p[0] == p[1] && p[2] == p[3]) {
                return x;
            }
            long top = p[0] - Math.min(p[0], p[1]);
            long bottom = p[1] - Math.min(p[0], p[1]);
            long left = p[2] - Math.min(p[2], p[3]);
            long right = p[3] - Math.min(p[2], p[3]);
            return temp(x.pad(new Shape(left, right, top, bottom), value));
        }

        private Value conv(Value[] in) {
            NDArray x = nchw(in[0]);
            NDArray w = filters.get(n.name());
            long[] strides = n.ints("strides");
            long[] dil = n.ints("dilations");
            long sh = strides.length == 4 ? strides[1] : 1;
            long sw = strides.length == 4 ? strides[2] : 1;
            long dh = dil.length == 4 ? dil[1] : 1;
            long dw = dil.length == 4 ? dil[2] : 1;
            Shape s = x.getShape();
            long[] p = padding(s.get(2), s.get(3), w.getShape().get(2), w.getShape().get(3), sh, sw, dh, dw);
            NDArray padded = prePad(x, p, 0);
            boolean depthwise = n.op().contains("Depthwise");
            int groups = depthwise ? (int) s.get(1) : 1;
            String folded = plan.biases.get(n.name());
            NDArray bias = n.op().startsWith("Fused") || n.op().equals("_FusedConv2D") ? consts.get(n.inputs().get(2).node())
                    : folded != null ? consts.get(folded) : null;
            NDArray y = ai.djl.nn.convolutional.Conv2d.conv2d(padded, w, bias, new Shape(sh, sw),
                    new Shape(Math.min(p[0], p[1]), Math.min(p[2], p[3])), new Shape(dh, dw), groups).singletonOrThrow();
            List<String> fused = n.strings("fused_ops");
            if (fused.size() == 2) {
                NDArray act = fused.get(1).equals("Relu") ? y.getNDArrayInternal().relu() : relu6(y);
                y.close();
                y = act;
            }
            return out(y, true);
        }

        private Value deconv(Value[] in) {
            int[] size = ints(in[0], n.inputs().get(0));
            NDArray x = nchw(in[2]);
            NDArray w = filters.get(n.name());
            long[] strides = n.ints("strides");
            long sh = strides[1];
            long sw = strides[2];
            long outH = size[1];
            long outW = size[2];
            Shape xs = x.getShape();
            long h = xs.get(2);
            long wd = xs.get(3);
            long kh;
            long kw;
            NDArray full;
            if (w.getShape().get(2) == 1 && w.getShape().get(3) == 1 && (sh > 1 || sw > 1)) {
                // stride == kernel (see filter()): a 1x1 conv to R*sh*sw channels, then each pixel's sh x sw block in place
                kh = sh;
                kw = sw;
                long r = w.getShape().get(0) / (kh * kw);
                NDArray blocks = temp(ai.djl.nn.convolutional.Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(0, 0),
                        new Shape(1, 1), 1).singletonOrThrow());
                NDArray shuffled = temp(temp(blocks.reshape(xs.get(0), r, kh, kw, h, wd)).transpose(0, 1, 4, 2, 5, 3));
                full = temp(shuffled.reshape(xs.get(0), r, h * kh, wd * kw));
            } else {
                kh = w.getShape().get(2);
                kw = w.getShape().get(3);
                // the full transposed conv ((H-1)*s + k rows): zeros between the input's pixels, then a conv with k-1 padding
                NDArray spread = temp(temp(temp(x.reshape(xs.get(0), xs.get(1), h, 1, wd, 1)).pad(new Shape(0, sw - 1, 0, 0, 0, sh - 1), 0))
                        .reshape(xs.get(0), xs.get(1), h * sh, wd * sw));
                NDArray dilated = temp(spread.get(":, :, :{}, :{}", (h - 1) * sh + 1, (wd - 1) * sw + 1));
                full = temp(ai.djl.nn.convolutional.Conv2d.conv2d(dilated, w, null, new Shape(1, 1), new Shape(kh - 1, kw - 1),
                        new Shape(1, 1), 1).singletonOrThrow());
            }
            // the forward conv of the result had this padding; the transposed conv crops it off the full result
            long[] p = padding(outH, outW, kh, kw, sh, sw, 1, 1);
            long fullH = full.getShape().get(2);
            long fullW = full.getShape().get(3);
            if (p[0] == 0 && p[2] == 0 && fullH == outH && fullW == outW) {
                return out(full, true);
            }
            if (p[0] + outH > fullH || p[2] + outW > fullW) {
                // the result is larger than the full transposed conv (VALID with a remainder): TF zero-fills the rest
                full = temp(full.pad(new Shape(0, Math.max(0, p[2] + outW - fullW), 0, Math.max(0, p[0] + outH - fullH)), 0));
            }
            NDArray cropped = temp(full.get(":, :, {}:{}, {}:{}", p[0], p[0] + outH, p[2], p[2] + outW));
            return out(cropped.duplicate(), true);
        }

        private Value pad(Value[] in) {
            int[] pads = ints(in[1], n.inputs().get(1));
            NDArray x = in[0].array;
            int rank = x.getShape().dimension();
            if (pads.length != 2 * rank) {
                throw new IllegalArgumentException("paddings has " + pads.length + " values for a rank-" + rank + " tensor");
            }
            // PyTorch's pad lists the last axis first; map TF's NHWC axes onto the stored layout
            int[] storedToTf = in[0].nchw ? new int[] {0, 3, 1, 2} : java.util.stream.IntStream.range(0, rank).toArray();
            long[] torch = new long[2 * rank];
            for (int d = 0; d < rank; d++) {
                int tfAxis = storedToTf[rank - 1 - d];
                torch[2 * d] = pads[2 * tfAxis];
                torch[2 * d + 1] = pads[2 * tfAxis + 1];
            }
            return out(x.pad(new Shape(torch), 0), in[0].nchw);
        }

        private Value pool(Value v) {
            NDArray x = nchw(v);
            long[] k = n.ints("ksize");
            long[] st = n.ints("strides");
            Shape s = x.getShape();
            long[] p = padding(s.get(2), s.get(3), k[1], k[2], st[1], st[2], 1, 1);
            Shape kernel = new Shape(k[1], k[2]);
            Shape stride = new Shape(st[1], st[2]);
            if (n.op().equals("MaxPool")) {
                NDArray padded = prePad(x, p, Double.NEGATIVE_INFINITY);
                return out(ai.djl.nn.pooling.Pool.maxPool2d(padded, kernel, stride,
                        new Shape(Math.min(p[0], p[1]), Math.min(p[2], p[3])), false), true);
            }
            if (p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) {
                return out(ai.djl.nn.pooling.Pool.avgPool2d(x, kernel, stride, new Shape(0, 0), false, true), true);
            }
            // TF averages SAME windows over the real pixels only: sum over the zero-padded input / count of real pixels
            NDArray padded = temp(x.pad(new Shape(p[2], p[3], p[0], p[1]), 0));
            NDArray ones = temp(work.ones(new Shape(1, 1, s.get(2), s.get(3)), x.getDataType(), x.getDevice()));
            NDArray onesPadded = temp(ones.pad(new Shape(p[2], p[3], p[0], p[1]), 0));
            NDArray sum = temp(ai.djl.nn.pooling.Pool.avgPool2d(padded, kernel, stride, new Shape(0, 0), false, true));
            NDArray count = temp(ai.djl.nn.pooling.Pool.avgPool2d(onesPadded, kernel, stride, new Shape(0, 0), false, true));
            return out(sum.div(count), true);
        }

        private Value resize(Value[] in) {
            int[] size = ints(in[1], n.inputs().get(1));
            NDArray x = nchw(in[0]);
            int h = (int) x.getShape().get(2);
            int w = (int) x.getShape().get(3);
            Resample.Mode mode = Resample.mode(n.b("align_corners", false), n.b("half_pixel_centers", false));
            if (mode != Resample.Mode.LEGACY && x instanceof PtNDArray pt && x.getDataType() == DataType.FLOAT32) {
                // PyTorch's bilinear upsample is TF's for half-pixel centers (align_corners=false, negative source
                // coordinates clamped to 0 as TF's floor does) and for align_corners; only TF's legacy mapping needs the matrices
                return out(JniUtils.interpolate(pt, new long[] {size[0], size[1]}, TORCH_BILINEAR, mode == Resample.Mode.ALIGN_CORNERS),
                        true);
            }
            return out(Resample.apply(x, Resample.bilinearWeights(h, size[0], mode), size[0],
                    Resample.bilinearWeights(w, size[1], mode), size[1]), true);
        }

        private Value gatherNd(NDArray params, NDArray indices) {
            Shape ps = params.getShape();
            Shape is = indices.getShape();
            int k = (int) is.get(is.dimension() - 1);
            if (k > ps.dimension()) {
                throw new IllegalArgumentException("indices depth " + k + " exceeds params rank " + ps.dimension());
            }
            long rest = 1;
            for (int d = k; d < ps.dimension(); d++) {
                rest *= ps.get(d);
            }
            long[] strides = new long[k];
            long stride = rest;
            for (int d = k - 1; d >= 0; d--) {
                strides[d] = stride;
                stride *= ps.get(d);
            }
            // flat offset of each index tuple, then one take over the flattened params (rows of `rest` elements)
            NDArray idx = temp(indices.toType(DataType.INT64, false));
            NDArray offsets = temp(temp(idx.mul(temp(work.create(strides)))).sum(new int[] {is.dimension() - 1}, true));
            NDArray flat = temp(params.reshape(-1));
            NDArray lanes = temp(temp(offsets.add(temp(work.arange(0, (int) rest, 1, DataType.INT64)))));
            NDArray taken = temp(flat.take(lanes));
            long[] outShape = new long[is.dimension() - 1 + ps.dimension() - k];
            System.arraycopy(is.getShape(), 0, outShape, 0, is.dimension() - 1);
            System.arraycopy(ps.getShape(), k, outShape, is.dimension() - 1, ps.dimension() - k);
            return out(taken.reshape(outShape), false);
        }
    }
}

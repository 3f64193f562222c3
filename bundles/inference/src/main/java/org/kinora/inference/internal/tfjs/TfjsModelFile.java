package org.kinora.inference.internal.tfjs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TF.js graph model read from disk and verified: the GraphDef nodes of {@code modelTopology}, the weights of {@code
 * weightsManifest} decoded from their shards (fp16 upcast to fp32, uint8/uint16 affine-dequantized), and the {@code
 * signature}'s named inputs and outputs.
 *
 * <p>Everything read is bounded before anything is allocated for it: the JSON size, the node count, every weight's element
 * count against the bytes actually present in its group's shards, and shard paths must stay inside the model's folder.
 *
 * @param source    the model.json path, for messages
 * @param nodes     the graph nodes in file order
 * @param weights   the decoded weights and {@code Const} values by node name
 * @param inputs    signature inputs: signature key to graph tensor (e.g. {@code input_1 -> input_1:0})
 * @param outputs   signature outputs: signature key to graph tensor, in file order
 */
public record TfjsModelFile(Path source, List<GraphNode> nodes, Map<String, HostTensor> weights,
                            Map<String, GraphNode.Ref> inputs, Map<String, GraphNode.Ref> outputs) {

    /** model.json larger than this is refused (the store's models are 0.1–1 MB; topologies with inline weights stay far below). */
    public static final long MAX_JSON_BYTES = 64L << 20;
    /** Node count limit. */
    public static final int MAX_NODES = 200_000;
    /** Total weight bytes limit (after fp32 upcast). */
    public static final long MAX_WEIGHT_BYTES = 1L << 30;

    private static final float[] HALF_TO_FLOAT = halfTable();

    /** Reads and verifies {@code modelJson} and the shards it names. */
    public static TfjsModelFile read(Path modelJson) throws IOException {
        Path folder = modelJson.toAbsolutePath().normalize().getParent();
        long size = Files.size(modelJson);
        if (size > MAX_JSON_BYTES) {
            throw new IOException(modelJson + ": model.json is " + size + " bytes, more than the " + MAX_JSON_BYTES + " allowed");
        }
        JsonObject root;
        try {
            root = JsonParser.parseString(Files.readString(modelJson, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(modelJson + ": not a TF.js model.json: " + e.getMessage(), e);
        }
        try {
            if (root.has("format") && !"graph-model".equals(root.get("format").getAsString())) {
                throw new IOException(modelJson + ": format '" + root.get("format").getAsString() + "' is not a TF.js graph-model");
            }
            JsonObject topology = root.getAsJsonObject("modelTopology");
            if (topology == null || !topology.has("node")) {
                throw new IOException(modelJson + ": no modelTopology.node (a TF.js layers model is not a graph model)");
            }
            JsonArray nodeJson = topology.getAsJsonArray("node");
            if (nodeJson.size() > MAX_NODES) {
                throw new IOException(modelJson + ": " + nodeJson.size() + " nodes, more than the " + MAX_NODES + " allowed");
            }
            List<GraphNode> nodes = new ArrayList<>(nodeJson.size());
            for (JsonElement e : nodeJson) {
                nodes.add(GraphNode.of(e.getAsJsonObject()));
            }
            Map<String, HostTensor> weights = new HashMap<>();
            readWeights(modelJson, folder, root.getAsJsonArray("weightsManifest"), weights);
            for (GraphNode n : nodes) {
                if (n.op().equals("Const") && !weights.containsKey(n.name())) {
                    weights.put(n.name(), inlineTensor(modelJson, n));
                }
            }
            Map<String, GraphNode.Ref> inputs = new LinkedHashMap<>();
            Map<String, GraphNode.Ref> outputs = new LinkedHashMap<>();
            JsonObject signature = root.getAsJsonObject("signature");
            if (signature != null) {
                signatureMap(signature.getAsJsonObject("inputs"), inputs);
                signatureMap(signature.getAsJsonObject("outputs"), outputs);
            }
            return new TfjsModelFile(modelJson, List.copyOf(nodes), Map.copyOf(weights), inputs, outputs);
        } catch (ClassCastException | IllegalStateException | NullPointerException | UnsupportedOperationException
                 | IllegalArgumentException | ArithmeticException e) {
            throw new IOException(modelJson + ": malformed TF.js model.json: " + e, e);
        }
    }

    /** Total bytes of the decoded weights (fp32/int32, 4 bytes each). */
    public long weightBytes() {
        return weights.values().stream().mapToLong(HostTensor::bytes).sum();
    }

    private static void signatureMap(JsonObject side, Map<String, GraphNode.Ref> into) {
        if (side == null) {
            return;
        }
        for (Map.Entry<String, JsonElement> e : side.entrySet()) {
            JsonObject o = e.getValue().getAsJsonObject();
            String tensor = o.has("name") ? o.get("name").getAsString() : e.getKey();
            String key = e.getKey().endsWith(":0") ? e.getKey().substring(0, e.getKey().length() - 2) : e.getKey();
            into.put(key, GraphNode.Ref.parse(tensor));
        }
    }

    private static void readWeights(Path modelJson, Path folder, JsonArray manifest, Map<String, HostTensor> into)
            throws IOException {
        if (manifest == null) {
            return;
        }
        long total = 0;
        for (JsonElement g : manifest) {
            JsonObject group = g.getAsJsonObject();
            List<Path> shards = new ArrayList<>();
            long available = 0;
            for (JsonElement p : group.getAsJsonArray("paths")) {
                Path shard = folder.resolve(p.getAsString()).toAbsolutePath().normalize();
                if (!shard.startsWith(folder) || shard.equals(folder)) {
                    throw new IOException(modelJson + ": weight shard '" + p.getAsString() + "' lies outside the model folder " + folder);
                }
                if (!Files.isRegularFile(shard)) {
                    throw new IOException(modelJson + ": weight shard " + shard + " is missing");
                }
                shards.add(shard);
                available += Files.size(shard);
            }
            // first pass: sizes only, so a lying manifest is refused before any buffer is allocated
            JsonArray specs = group.getAsJsonArray("weights");
            long needed = 0;
            for (JsonElement w : specs) {
                WeightSpec spec = WeightSpec.of(modelJson, w.getAsJsonObject());
                needed += spec.storedBytes();
                total += 4L * spec.elements;
            }
            if (needed > available) {
                throw new IOException(modelJson + ": the manifest needs " + needed + " weight bytes but its shards " + shards
                        + " hold " + available);
            }
            if (total > MAX_WEIGHT_BYTES) {
                throw new IOException(modelJson + ": weights exceed " + MAX_WEIGHT_BYTES + " bytes");
            }
            ByteBuffer data = ByteBuffer.allocate((int) needed).order(ByteOrder.LITTLE_ENDIAN);
            for (Path shard : shards) {
                try (InputStream in = Files.newInputStream(shard)) {
                    while (data.hasRemaining()) {
                        int r = in.read(data.array(), data.position(), data.remaining());
                        if (r < 0) {
                            break;
                        }
                        data.position(data.position() + r);
                    }
                }
                if (!data.hasRemaining()) {
                    break;
                }
            }
            data.flip();
            for (JsonElement w : specs) {
                WeightSpec spec = WeightSpec.of(modelJson, w.getAsJsonObject());
                into.put(spec.name, spec.decode(data));
            }
        }
    }

    /** A {@code Const} whose value is inline in its {@code value} attr ({@code tensor} with float_val/int_val/tensor_content). */
    private static HostTensor inlineTensor(Path modelJson, GraphNode n) throws IOException {
        JsonObject value = n.attr().getAsJsonObject("value");
        if (value == null || !value.has("tensor")) {
            throw new IOException(modelJson + ": " + n.describe() + " has neither a weight nor an inline value");
        }
        JsonObject t = value.getAsJsonObject("tensor");
        String dtype = t.has("dtype") ? t.get("dtype").getAsString() : "DT_FLOAT";
        List<Long> dims = new ArrayList<>();
        if (t.has("tensorShape") && t.getAsJsonObject("tensorShape").has("dim")) {
            for (JsonElement d : t.getAsJsonObject("tensorShape").getAsJsonArray("dim")) {
                dims.add(d.getAsJsonObject().has("size") ? d.getAsJsonObject().get("size").getAsLong() : 1L);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        int count = HostTensor.elements(shape, modelJson + ": " + n.describe());
        boolean isFloat = dtype.equals("DT_FLOAT");
        if (!isFloat && !dtype.equals("DT_INT32")) {
            throw new IOException(modelJson + ": " + n.describe() + " has dtype " + dtype + " (only DT_FLOAT and DT_INT32 are supported)");
        }
        if (t.has("tensorContent")) {
            byte[] raw = Base64.getDecoder().decode(t.get("tensorContent").getAsString());
            if (raw.length != 4L * count) {
                throw new IOException(modelJson + ": " + n.describe() + " holds " + raw.length + " bytes for " + count + " elements");
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            if (isFloat) {
                float[] f = new float[count];
                b.asFloatBuffer().get(f);
                return new HostTensor(shape, f, null);
            }
            int[] i = new int[count];
            b.asIntBuffer().get(i);
            return new HostTensor(shape, null, i);
        }
        JsonArray vals = t.getAsJsonArray(isFloat ? "floatVal" : "intVal");
        int given = vals == null ? 0 : vals.size();
        if (given > count) {
            throw new IOException(modelJson + ": " + n.describe() + " lists " + given + " values for " + count + " elements");
        }
        // TF repeats the last listed value to fill the tensor (a splat when one value is given)
        if (isFloat) {
            float[] f = new float[count];
            for (int k = 0; k < count; k++) {
                f[k] = given == 0 ? 0f : vals.get(Math.min(k, given - 1)).getAsFloat();
            }
            return new HostTensor(shape, f, null);
        }
        int[] i = new int[count];
        for (int k = 0; k < count; k++) {
            i[k] = given == 0 ? 0 : vals.get(Math.min(k, given - 1)).getAsInt();
        }
        return new HostTensor(shape, null, i);
    }

    /** One manifest entry. */
    private record WeightSpec(String name, long[] shape, int elements, String dtype, String quantDtype, float scale, float min) {

        static WeightSpec of(Path modelJson, JsonObject w) throws IOException {
            String name = w.get("name").getAsString();
            JsonArray s = w.getAsJsonArray("shape");
            long[] shape = new long[s.size()];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = s.get(k).getAsLong();
            }
            int elements = HostTensor.elements(shape, modelJson + ": weight '" + name + "'");
            String dtype = w.get("dtype").getAsString();
            if (!dtype.equals("float32") && !dtype.equals("int32")) {
                throw new IOException(modelJson + ": weight '" + name + "' has dtype " + dtype + " (only float32 and int32 are supported)");
            }
            String q = null;
            float scale = 1f;
            float min = 0f;
            if (w.has("quantization")) {
                JsonObject qj = w.getAsJsonObject("quantization");
                q = qj.get("dtype").getAsString();
                if (!q.equals("float16") && !q.equals("uint8") && !q.equals("uint16")) {
                    throw new IOException(modelJson + ": weight '" + name + "' has quantization " + q
                            + " (only float16, uint8 and uint16 are supported)");
                }
                if (!q.equals("float16")) {
                    scale = qj.get("scale").getAsFloat();
                    min = qj.get("min").getAsFloat();
                }
            }
            return new WeightSpec(name, shape, elements, dtype, q, scale, min);
        }

        long storedBytes() {
            int per = quantDtype == null ? 4 : quantDtype.equals("uint8") ? 1 : 2;
            return (long) per * elements;
        }

        HostTensor decode(ByteBuffer data) {
            float[] f = new float[elements];
            if (quantDtype == null) {
                if (dtype.equals("int32")) {
                    int[] i = new int[elements];
                    data.asIntBuffer().get(i);
                    data.position(data.position() + 4 * elements);
                    return new HostTensor(shape, null, i);
                }
                data.asFloatBuffer().get(f);
                data.position(data.position() + 4 * elements);
            } else if (quantDtype.equals("float16")) {
                for (int k = 0; k < elements; k++) {
                    f[k] = HALF_TO_FLOAT[data.getShort() & 0xffff];
                }
            } else if (quantDtype.equals("uint8")) {
                for (int k = 0; k < elements; k++) {
                    f[k] = (data.get() & 0xff) * scale + min;
                }
            } else {
                for (int k = 0; k < elements; k++) {
                    f[k] = (data.getShort() & 0xffff) * scale + min;
                }
            }
            if (dtype.equals("int32")) {
                int[] i = new int[elements];
                for (int k = 0; k < elements; k++) {
                    i[k] = Math.round(f[k]);
                }
                return new HostTensor(shape, null, i);
            }
            return new HostTensor(shape, f, null);
        }
    }

    /** IEEE 754 binary16 to binary32 for all 65536 patterns (Java 17 has no Float.float16ToFloat). */
    private static float[] halfTable() {
        float[] t = new float[65536];
        for (int h = 0; h < 65536; h++) {
            int sign = (h >>> 15) & 1;
            int exp = (h >>> 10) & 0x1f;
            int mant = h & 0x3ff;
            float v;
            if (exp == 0) {
                v = (float) (mant * Math.pow(2, -24));
            } else if (exp == 31) {
                v = mant == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
            } else {
                v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mant << 13));
            }
            t[h] = sign == 1 ? -v : v;
        }
        return t;
    }
}

package org.kinora.inference.internal.tfjs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One node of a TF.js GraphDef: its op, its data inputs (control inputs {@code ^name} are dropped: every op here is pure,
 * so ordering-only edges change nothing) and its attributes in TensorFlow's AttrValue JSON form.
 *
 * @param name   the node name
 * @param op     the TensorFlow op, e.g. {@code _FusedConv2D}
 * @param inputs data inputs, each a node name and output index ({@code "name:1"} is output 1 of {@code name})
 * @param attr   the attributes ({@code {"i": "3"}}, {@code {"s": base64}}, {@code {"list": {...}}} ...)
 */
public record GraphNode(String name, String op, List<Ref> inputs, JsonObject attr) {

    /**
     * A reference to one output of a node.
     *
     * @param node  the producing node's name
     * @param index the output index
     */
    public record Ref(String node, int index) {

        /** Parses {@code "name"}, {@code "name:1"}; TF's {@code "name:output:1"} function form is not used by converted graphs. */
        public static Ref parse(String s) {
            int colon = s.lastIndexOf(':');
            if (colon > 0) {
                String tail = s.substring(colon + 1);
                if (!tail.isEmpty() && tail.chars().allMatch(Character::isDigit) && tail.length() < 6) {
                    return new Ref(s.substring(0, colon), Integer.parseInt(tail));
                }
            }
            return new Ref(s, 0);
        }

        @Override
        public String toString() {
            return index == 0 ? node : node + ":" + index;
        }
    }

    static GraphNode of(JsonObject json) {
        String name = json.get("name").getAsString();
        String op = json.get("op").getAsString();
        List<Ref> inputs = new ArrayList<>();
        if (json.has("input")) {
            for (JsonElement e : json.getAsJsonArray("input")) {
                String s = e.getAsString();
                if (!s.startsWith("^")) {
                    inputs.add(Ref.parse(s));
                }
            }
        }
        JsonObject attr = json.has("attr") ? json.getAsJsonObject("attr") : new JsonObject();
        return new GraphNode(name, op, List.copyOf(inputs), attr);
    }

    /** Whether the attribute is present. */
    public boolean has(String key) {
        return attr.has(key);
    }

    /** An integer attribute ({@code {"i": "3"}}), or {@code fallback} when absent. */
    public long i(String key, long fallback) {
        JsonObject a = attr.getAsJsonObject(key);
        return a == null || !a.has("i") ? fallback : a.get("i").getAsLong();
    }

    /** A float attribute ({@code {"f": 0.5}}), or {@code fallback} when absent. */
    public double f(String key, double fallback) {
        JsonObject a = attr.getAsJsonObject(key);
        return a == null || !a.has("f") ? fallback : a.get("f").getAsDouble();
    }

    /** A boolean attribute ({@code {"b": true}}), or {@code fallback} when absent. */
    public boolean b(String key, boolean fallback) {
        JsonObject a = attr.getAsJsonObject(key);
        return a == null || !a.has("b") ? fallback : a.get("b").getAsBoolean();
    }

    /** A string attribute ({@code {"s": base64}}), decoded, or {@code fallback} when absent. */
    public String s(String key, String fallback) {
        JsonObject a = attr.getAsJsonObject(key);
        if (a == null || !a.has("s")) {
            return fallback;
        }
        return new String(Base64.getDecoder().decode(a.get("s").getAsString()), StandardCharsets.UTF_8);
    }

    /** A type attribute ({@code {"type": "DT_FLOAT"}}), or {@code fallback} when absent. */
    public String type(String key, String fallback) {
        JsonObject a = attr.getAsJsonObject(key);
        return a == null || !a.has("type") ? fallback : a.get("type").getAsString();
    }

    /** An integer list attribute ({@code {"list": {"i": [...]}}}); empty when absent. */
    public long[] ints(String key) {
        JsonObject a = attr.getAsJsonObject(key);
        if (a == null || !a.has("list") || !a.getAsJsonObject("list").has("i")) {
            return new long[0];
        }
        JsonArray arr = a.getAsJsonObject("list").getAsJsonArray("i");
        long[] out = new long[arr.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = arr.get(k).getAsLong();
        }
        return out;
    }

    /** A string list attribute ({@code {"list": {"s": [base64...]}}}), decoded; empty when absent. */
    public List<String> strings(String key) {
        JsonObject a = attr.getAsJsonObject(key);
        if (a == null || !a.has("list") || !a.getAsJsonObject("list").has("s")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonElement e : a.getAsJsonObject("list").getAsJsonArray("s")) {
            out.add(new String(Base64.getDecoder().decode(e.getAsString()), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** What error messages call this node. */
    String describe() {
        return op + " node '" + name + "'";
    }
}

package org.kinora.core.param;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Resolved, validated parameter values: every declared parameter has a value (the user's or its default).
 */
public final class ParameterValues {

    private final Map<String, Object> values;

    private ParameterValues(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Validates user text against declarations and fills in defaults.
     *
     * @param specs the effect's declared parameters
     * @param raw   name to text as the user gave them
     * @throws InvalidParameterException for an unknown name (listing the known ones) or a bad value
     */
    public static ParameterValues resolve(List<ParameterSpec> specs, Map<String, String> raw) throws InvalidParameterException {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
        for (String name : raw.keySet()) {
            if (!byName.containsKey(name)) {
                String known = byName.isEmpty() ? "none" : String.join(", ", byName.keySet());
                throw new InvalidParameterException(name, "unknown parameter '" + name + "' (parameters: " + known + ")");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            out.put(s.name(), raw.containsKey(s.name()) ? s.parse(raw.get(s.name())) : s.defaultValue());
        }
        return new ParameterValues(out);
    }

    /** The values as name to Java value, in declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** A {@code CHOICE} or {@code TEXT} value. */
    public String text(String name) {
        return (String) get(name);
    }

    /** A {@code NUMBER} value. */
    public double number(String name) {
        return ((Number) get(name)).doubleValue();
    }

    /** An {@code INTEGER} value. */
    public long integer(String name) {
        return ((Number) get(name)).longValue();
    }

    /** A {@code BOOLEAN} value. */
    public boolean bool(String name) {
        return (Boolean) get(name);
    }

    private Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("no parameter '" + name + "'");
        }
        return values.get(name);
    }

    /** The values as a compact JSON object (for provenance), e.g. {@code {"style":"cartoon","strength":1.0}}. */
    public String toJson() {
        return values.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + (e.getValue() instanceof String s ? quote(s) : String.valueOf(e.getValue())))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}

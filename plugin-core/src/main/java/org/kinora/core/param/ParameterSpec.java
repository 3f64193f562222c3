package org.kinora.core.param;

import java.util.List;
import java.util.Locale;

/**
 * One declared effect parameter. The CLI's options and help, the web panel's controls and validation are all derived
 * from this declaration.
 *
 * @param name         the name used in {@code --set NAME=VALUE}
 * @param type         the value type
 * @param defaultValue the default, already of the parameter's Java type ({@code String}, {@code Double}, {@code Long}, {@code Boolean})
 * @param min          lower bound for numbers (inclusive), or {@code null}
 * @param max          upper bound for numbers (inclusive), or {@code null}
 * @param choices      the allowed words for {@link ParameterType#CHOICE}, empty otherwise
 * @param help         one sentence for the user
 */
public record ParameterSpec(String name, ParameterType type, Object defaultValue, Double min, Double max, List<String> choices,
        String help) {

    public ParameterSpec {
        choices = List.copyOf(choices);
        if (name == null || !name.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("bad parameter name '" + name + "'");
        }
    }

    /** A choice among words, e.g. a style. */
    public static ParameterSpec choice(String name, List<String> choices, String defaultValue, String help) {
        if (!choices.contains(defaultValue)) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " is not a choice");
        }
        return new ParameterSpec(name, ParameterType.CHOICE, defaultValue, null, null, choices, help);
    }

    /** A decimal number in {@code [min, max]}. */
    public static ParameterSpec number(String name, double min, double max, double defaultValue, String help) {
        return new ParameterSpec(name, ParameterType.NUMBER, defaultValue, min, max, List.of(), help);
    }

    /** A whole number in {@code [min, max]}. */
    public static ParameterSpec integer(String name, long min, long max, long defaultValue, String help) {
        return new ParameterSpec(name, ParameterType.INTEGER, defaultValue, (double) min, (double) max, List.of(), help);
    }

    /** A switch. */
    public static ParameterSpec bool(String name, boolean defaultValue, String help) {
        return new ParameterSpec(name, ParameterType.BOOLEAN, defaultValue, null, null, List.of(), help);
    }

    /** Free text. */
    public static ParameterSpec text(String name, String defaultValue, String help) {
        return new ParameterSpec(name, ParameterType.TEXT, defaultValue, null, null, List.of(), help);
    }

    /** The accepted values in words, e.g. {@code 0..1} or {@code cartoon|pencil|paint}. */
    public String rangeText() {
        return switch (type) {
            case CHOICE -> String.join("|", choices);
            case NUMBER -> fmt(min) + ".." + fmt(max);
            case INTEGER -> (min == null ? "" : Long.toString(min.longValue())) + ".." + (max == null ? "" : Long.toString(max.longValue()));
            case BOOLEAN -> "true|false";
            case TEXT -> "text";
        };
    }

    private static String fmt(Double d) {
        if (d == null) {
            return "";
        }
        return d == Math.rint(d) ? Long.toString(d.longValue()) : Double.toString(d);
    }

    /**
     * Parses and checks a user's text for this parameter.
     *
     * @throws InvalidParameterException naming the parameter, the value and what is accepted
     */
    public Object parse(String raw) throws InvalidParameterException {
        String v = raw == null ? "" : raw.trim();
        switch (type) {
            case CHOICE -> {
                for (String c : choices) {
                    if (c.equalsIgnoreCase(v)) {
                        return c;
                    }
                }
                throw invalid(raw, "is not one of " + rangeText());
            }
            case NUMBER -> {
                double d;
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw invalid(raw, "is not a number (expected " + rangeText() + ")");
                }
                if (!Double.isFinite(d) || (min != null && d < min) || (max != null && d > max)) {
                    throw invalid(raw, "is out of range " + rangeText());
                }
                return d;
            }
            case INTEGER -> {
                long l;
                try {
                    l = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw invalid(raw, "is not a whole number (expected " + rangeText() + ")");
                }
                if ((min != null && l < min) || (max != null && l > max)) {
                    throw invalid(raw, "is out of range " + rangeText());
                }
                return l;
            }
            case BOOLEAN -> {
                String b = v.toLowerCase(Locale.ROOT);
                if (b.equals("true") || b.equals("yes") || b.equals("on") || b.equals("1")) {
                    return Boolean.TRUE;
                }
                if (b.equals("false") || b.equals("no") || b.equals("off") || b.equals("0")) {
                    return Boolean.FALSE;
                }
                throw invalid(raw, "is not true or false");
            }
            default -> {
                return v;
            }
        }
    }

    private InvalidParameterException invalid(String raw, String why) {
        return new InvalidParameterException(name, "parameter '" + name + "': value '" + raw + "' " + why);
    }
}

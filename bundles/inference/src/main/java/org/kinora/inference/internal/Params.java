package org.kinora.inference.internal;

import java.util.Map;
import org.kinora.core.inference.InvalidInferenceRequestException;

/** Reading the scalar parameters of a request, with errors that name the model and the parameter. */
final class Params {

    private Params() {
    }

    /** Parameter {@code name} as a number in {@code [0, 1]}, {@code fallback} when absent. */
    static float unitNumber(String model, Map<String, Object> parameters, String name, double fallback)
            throws InvalidInferenceRequestException {
        Object v = parameters.getOrDefault(name, fallback);
        double d = number(v);
        if (!(d >= 0 && d <= 1)) {
            throw new InvalidInferenceRequestException("model '" + model + "': parameter '" + name
                    + "' must be a number in [0, 1], got '" + v + "'");
        }
        return (float) d;
    }

    /** A parameter value as a number: a Number as it is, text parsed, anything else (or unparsable text) NaN. */
    static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}

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
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else {
            try {
                d = Double.parseDouble(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                d = Double.NaN;
            }
        }
        if (!(d >= 0 && d <= 1)) {
            throw new InvalidInferenceRequestException("model '" + model + "': parameter '" + name
                    + "' must be a number in [0, 1], got '" + v + "'");
        }
        return (float) d;
    }
}

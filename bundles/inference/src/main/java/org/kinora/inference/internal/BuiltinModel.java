package org.kinora.inference.internal;

/**
 * A classical algorithm expressed as DJL NDArray operations, so it runs on whichever device the service owns. Its
 * {@link org.kinora.core.inference.ModelInfo#format()} is {@code builtin} and its description names the algorithm.
 */
interface BuiltinModel extends Model {

    /** The {@code format} of every built-in model. */
    String FORMAT = "builtin";
}

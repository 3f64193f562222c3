package org.kinora.inference.internal;

import ai.djl.Device;

/**
 * A classical algorithm expressed as DJL NDArray operations, so it runs on whichever device the service owns. Its
 * {@link org.kinora.core.inference.ModelInfo#format()} is {@code builtin} and its description names the algorithm. It
 * has no weights: loading it costs nothing.
 */
interface BuiltinModel extends Model, NDArrayCall {

    /** The {@code format} of every built-in model. */
    String FORMAT = "builtin";

    @Override
    default LoadedModel load(Device device) {
        return NDArrayCall.loaded(info(), this, () -> { });
    }
}

package org.kinora.inference.internal;

import ai.djl.Device;
import org.kinora.core.inference.InferenceException;

/**
 * A classical algorithm expressed as DJL NDArray operations, so it runs on whichever device the service owns. Its
 * {@link org.kinora.core.inference.ModelInfo#format()} is {@code builtin} and its description names the algorithm. It
 * has no weights: loading it costs nothing. (A built-in network the project trained itself, such as {@code style-starry},
 * loads its weights from this bundle and overrides {@link #load}.)
 */
interface BuiltinModel extends Model, NDArrayCall {

    /** The {@code format} of every built-in model. */
    String FORMAT = "builtin";

    @Override
    default LoadedModel load(Device device) throws InferenceException {
        return NDArrayCall.loaded(info(), this, () -> { });
    }
}

package org.kinora.inference.internal;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelInfo;

/**
 * A model the service can run on a device. Inputs arrive already validated against {@link ModelInfo#inputs()}, as
 * NDArrays named like the declared tensors, in declaration order, created by {@code manager} on the worker's device.
 * Outputs must be attached to {@code manager} (the request scope, closed after the outputs are copied out) and named
 * like the declared outputs.
 *
 * <p>Built-in classical algorithms implement this through {@link BuiltinModel}; loaded networks (TorchScript, ONNX,
 * TF.js graphs) will implement it too.
 */
interface Model {

    /** The model id, e.g. {@code style-cartoon}. */
    default String id() {
        return info().id();
    }

    /** What the model is and what it takes. */
    ModelInfo info();

    /**
     * Runs one request on the worker thread, with DJL's class loader set.
     *
     * @throws InferenceException for a bad parameter or an engine failure; the message names the model
     */
    NDList run(NDManager manager, NDList inputs, Map<String, Object> parameters) throws InferenceException;
}

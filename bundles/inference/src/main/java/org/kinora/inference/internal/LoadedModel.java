package org.kinora.inference.internal;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.Tensor;

/**
 * A model resident on one device, used by that device's worker thread only. {@link #close} frees its device memory.
 */
public interface LoadedModel extends AutoCloseable {

    /**
     * Runs one call (possibly a micro-batch of several requests concatenated along dimension 0).
     *
     * @param scope      the request's NDManager scope on the device; closed after the call, so everything allocated on
     *                   it is freed then
     * @param inputs     validated against {@code info().inputs()}, in declaration order
     * @param parameters the request's scalar parameters
     * @param control    cancellation checkpoints and progress; long calls check it between steps
     * @return the outputs, named and in the order of {@code info().outputs()}
     */
    List<Tensor> call(NDManager scope, List<Tensor> inputs, Map<String, Object> parameters, RunControl control)
            throws InferenceException;

    @Override
    void close();
}

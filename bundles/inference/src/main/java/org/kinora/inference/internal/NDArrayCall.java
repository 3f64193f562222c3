package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;

/**
 * A model call on NDArrays: inputs arrive as NDArrays on the scope's device, named as declared, in declaration order;
 * outputs must be attached to the scope. {@link #loaded} wraps one as a {@link LoadedModel} that converts tensors.
 */
@FunctionalInterface
interface NDArrayCall {

    NDList run(NDManager scope, NDList inputs, Map<String, Object> parameters, RunControl control) throws InferenceException;

    /** A loaded model that converts tensors to NDArrays and back around {@code call}; {@code onClose} frees its state. */
    static LoadedModel loaded(ModelInfo info, NDArrayCall call, Runnable onClose) {
        return new LoadedModel() {
            @Override
            public List<Tensor> call(NDManager scope, List<Tensor> inputs, Map<String, Object> parameters, RunControl control)
                    throws InferenceException {
                NDList in = new NDList(inputs.size());
                for (Tensor t : inputs) {
                    in.add(TensorCodec.toNDArray(scope, t));
                }
                NDList out = call.run(scope, in, parameters, control);
                List<TensorSpec> declared = info.outputs();
                List<Tensor> tensors = new ArrayList<>(out.size());
                for (int i = 0; i < out.size(); i++) {
                    NDArray a = out.get(i);
                    String name = i < declared.size() ? declared.get(i).name() : a.getName() != null ? a.getName() : "output" + i;
                    tensors.add(TensorCodec.toTensor(a, name));
                }
                return tensors;
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }
}

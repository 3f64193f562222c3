package org.kinora.core.inference;

import java.util.List;
import java.util.Optional;

/**
 * A model's outputs.
 *
 * @param modelId the model that ran
 * @param device  the device it ran on, e.g. {@code cpu()} or {@code gpu(0)}
 * @param outputs the output tensors
 */
public record InferenceResult(String modelId, String device, List<Tensor> outputs) {
    public InferenceResult {
        outputs = List.copyOf(outputs);
    }

    /** The output of that name. */
    public Optional<Tensor> output(String name) {
        return outputs.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}

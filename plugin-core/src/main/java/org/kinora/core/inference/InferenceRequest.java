package org.kinora.core.inference;

import java.util.List;
import java.util.Map;

/**
 * One call of a model.
 *
 * @param modelId    the model to run, e.g. {@code style-cartoon}
 * @param inputs     the input tensors, named as the model declares
 * @param parameters per-request scalar parameters (numbers, strings, booleans), e.g. {@code strength}
 * @param jobId      the job the request belongs to, so it can be cancelled with the job
 * @param priority   its scheduling priority
 */
public record InferenceRequest(String modelId, List<Tensor> inputs, Map<String, Object> parameters, String jobId, Priority priority) {
    public InferenceRequest {
        inputs = List.copyOf(inputs);
        parameters = Map.copyOf(parameters);
    }
}

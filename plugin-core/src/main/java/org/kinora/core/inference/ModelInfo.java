package org.kinora.core.inference;

import java.util.List;

/**
 * A model the service can run.
 *
 * @param id          the model id
 * @param task        what it does, e.g. {@code image-to-image}
 * @param format      how it is implemented, e.g. {@code builtin} (a classical algorithm as tensor ops), {@code torchscript}
 * @param description one sentence naming the algorithm or network
 * @param inputs      declared inputs
 * @param outputs     declared outputs
 */
public record ModelInfo(String id, String task, String format, String description, List<TensorSpec> inputs, List<TensorSpec> outputs) {
    public ModelInfo {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}

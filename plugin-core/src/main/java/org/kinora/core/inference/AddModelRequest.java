package org.kinora.core.inference;

import java.nio.file.Path;
import java.util.List;

/**
 * A user's export to register with {@link ModelStore#add}.
 *
 * @param id          the id to give it
 * @param file        the {@code .pt} (TorchScript) or {@code .onnx} file
 * @param task        what it does, e.g. {@code image-to-image}
 * @param description one sentence about it, or null
 * @param license     SPDX id of the weights' license, e.g. {@code MIT}, or null for unknown
 * @param inputs      declared inputs; may be empty for ONNX (read from the file), required for TorchScript
 * @param outputs     declared outputs; may be empty for ONNX (read from the file), required for TorchScript
 * @param replace     true to replace a stored model of the same id; false refuses an id already in use
 * @param processing  the processing around the network ({@link ModelCard#processing()}), or null to derive it from the
 *                    task: {@code image-to-image} for task {@code image-to-image} (a style network taking and giving RGB
 *                    in 0..255; {@code image-to-image-unit} is 0..1, {@code image-to-image-signed} -1..1), else {@code none}
 * @since 1.2
 */
public record AddModelRequest(String id, Path file, String task, String description, String license,
                              List<TensorSpec> inputs, List<TensorSpec> outputs, boolean replace, String processing) {
    public AddModelRequest {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /** A request whose processing follows from the task. */
    public AddModelRequest(String id, Path file, String task, String description, String license,
                           List<TensorSpec> inputs, List<TensorSpec> outputs, boolean replace) {
        this(id, file, task, description, license, inputs, outputs, replace, null);
    }

    /** A request that refuses an id already in use. */
    public AddModelRequest(String id, Path file, String task, String description, String license,
                           List<TensorSpec> inputs, List<TensorSpec> outputs) {
        this(id, file, task, description, license, inputs, outputs, false);
    }
}

package org.kinora.inference.internal.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.kinora.core.inference.TensorSpec;

/**
 * Reads the declared inputs and outputs of a user's export, for {@code kinora models add} without {@code --input} /
 * {@code --output}. Implemented where an engine can open the format (ONNX Runtime for {@code onnx}); registered as a
 * service of this bundle and used by {@link ModelStoreImpl} when present.
 */
public interface ExportInspector {

    /**
     * The signature recorded in {@code file}.
     *
     * @param format the card format of the file: {@code onnx} or {@code torchscript}
     * @return the signature, or empty when this inspector cannot read that format
     */
    Optional<Signature> inspect(Path file, String format);

    /** A model's declared tensors. */
    record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        public Signature {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }
}

package org.kinora.inference.internal.onnx;

import java.nio.file.Path;
import java.util.Optional;
import org.kinora.core.inference.InferenceException;
import org.kinora.inference.internal.store.ExportInspector;
import org.osgi.service.component.annotations.Component;

/** Reads an ONNX export's inputs and outputs with ONNX Runtime, for {@code kinora models add} without specs. */
@Component(service = ExportInspector.class)
public final class OnnxExportInspector implements ExportInspector {

    @Override
    public Optional<Signature> inspect(Path file, String format) {
        if (!"onnx".equals(format)) {
            return Optional.empty();
        }
        try {
            OnnxSignature s = OnnxSignature.read(file);
            return Optional.of(new Signature(s.inputs(), s.outputs()));
        } catch (InferenceException e) {
            // the store turns an empty answer into "cannot read its inputs and outputs: give them"; keep the reason too
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}

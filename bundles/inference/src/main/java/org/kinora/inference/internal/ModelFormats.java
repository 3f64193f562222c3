package org.kinora.inference.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.kinora.inference.internal.onnx.OnnxFormat;
import org.kinora.inference.internal.torchscript.TorchScriptFormat;

/** The model formats the service can open: TF.js graph models, ONNX and TorchScript. */
public final class ModelFormats {

    private final Map<String, ModelFormat> formats = new LinkedHashMap<>();

    public ModelFormats(ModelFormat... formats) {
        for (ModelFormat f : formats) {
            this.formats.put(f.format(), f);
        }
    }

    /** TF.js graph models, ONNX and TorchScript. */
    public static ModelFormats standard() {
        return new ModelFormats(new TfjsFormat(), new OnnxFormat(), new TorchScriptFormat());
    }

    public Optional<ModelFormat> get(String format) {
        return Optional.ofNullable(formats.get(format));
    }

    /** The format names, for messages. */
    public String names() {
        return String.join(", ", formats.keySet());
    }
}

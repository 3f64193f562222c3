package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * Processing "none": the frame is resized to the placeholder's square (no letterbox) as the placeholder's dtype (int32
 * 0..255, or float32 in [0, 1]), and the graph's raw tensors come back as the signature names them, each without its batch
 * dimension.
 */
public final class RawTranslator implements TfjsTranslator<NDList> {

    private final int size;
    private final boolean floatInput;
    private final List<String> outputs;

    /** A translator for a graph with a {@code size} square input, float or int32, producing {@code outputs}. */
    public RawTranslator(int size, boolean floatInput, List<String> outputs) {
        this.size = size;
        this.floatInput = floatInput;
        this.outputs = List.copyOf(outputs);
    }

    @Override
    public List<String> outputs() {
        return outputs;
    }

    @Override
    public Letterbox fit(NDArray frame) {
        return Letterbox.stretch(frame, size);
    }

    @Override
    public NDArray toInput(NDArray square) {
        if (floatInput) {
            return SelfieTranslator.unitFloat(square);
        }
        try (NDArray i = square.toType(DataType.INT32, false)) {
            return i.expandDims(0);
        }
    }

    @Override
    public NDList processOutput(TranslatorContext ctx, NDList list) {
        NDList out = new NDList(list.size());
        for (NDArray a : list) {
            NDArray one = a.squeeze(0);
            one.attach(TfjsTranslator.resultManager(ctx));
            out.add(one);
        }
        return out;
    }
}

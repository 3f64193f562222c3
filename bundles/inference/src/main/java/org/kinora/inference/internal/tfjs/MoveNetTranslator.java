package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * MoveNet single-pose (lightning 192, thunder 256): the frame is letterboxed into the model's square and given as int32
 * RGB 0..255 (the graph normalizes itself). The graph's only output ({@code Identity:0}, {@code [1, 1, 17, 3]}) holds per
 * COCO-17 keypoint {@code y, x} in [0, 1] of the square input and a score in [0, 1]; this maps {@code y, x} back to [0, 1] of
 * the original frame, giving {@code FP32 [17, 3]}.
 */
public final class MoveNetTranslator implements TfjsTranslator<NDArray> {

    /** The signature output: keypoints of the square input. */
    public static final String OUTPUT = "Identity";

    private final int size;

    /** A translator for a model whose square input has side {@code size} (192 lightning, 256 thunder). */
    public MoveNetTranslator(int size) {
        this.size = size;
    }

    @Override
    public List<String> outputs() {
        return List.of(OUTPUT);
    }

    @Override
    public Letterbox fit(NDArray frame) {
        return Letterbox.of(frame, size);
    }

    @Override
    public NDArray toInput(NDArray square) {
        try (NDArray i = square.toType(DataType.INT32, false)) {
            return i.expandDims(0);
        }
    }

    @Override
    public NDArray processOutput(TranslatorContext ctx, NDList list) {
        Letterbox box = (Letterbox) ctx.getAttachment(LETTERBOX);
        float[] k = list.head().toFloatArray();
        if (k.length != 17 * 3) {
            throw new IllegalStateException("MoveNet output has " + k.length + " values, expected 17 x 3");
        }
        for (int j = 0; j < 17; j++) {
            k[3 * j] = box.frameY(k[3 * j]);
            k[3 * j + 1] = box.frameX(k[3 * j + 1]);
        }
        return TfjsTranslator.resultManager(ctx).create(k, new Shape(17, 3));
    }
}

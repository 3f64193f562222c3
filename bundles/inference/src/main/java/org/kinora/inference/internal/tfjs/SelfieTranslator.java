package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * MediaPipe selfie segmentation (the 256x256 general model): the frame is resized to the square (the model was trained on
 * whole, stretched frames) as float RGB in [0, 1]. The signature output {@code activation_10} ({@code [1, 256, 256, 1]}) is
 * already a sigmoid: the person probability per pixel. It is resized back to the frame, giving {@code FP32 [H, W]}.
 */
public final class SelfieTranslator implements TfjsTranslator<NDArray> {

    /** The signature output: person probability at 256x256. */
    public static final String OUTPUT = "activation_10";
    /** The model's square side. */
    public static final int SIZE = 256;

    @Override
    public List<String> outputs() {
        return List.of(OUTPUT);
    }

    @Override
    public Letterbox fit(NDArray frame) {
        return Letterbox.stretch(frame, SIZE);
    }

    @Override
    public NDArray toInput(NDArray square) {
        return unitFloat(square);
    }

    /** {@code UINT8 [S, S, 3]} as {@code FP32 [1, S, S, 3]} in [0, 1]. */
    static NDArray unitFloat(NDArray square) {
        try (NDArray f = square.toType(DataType.FLOAT32, false); NDArray d = f.div(255f)) {
            return d.expandDims(0);
        }
    }

    @Override
    public NDArray processOutput(TranslatorContext ctx, NDList list) {
        NDArray out = list.head();
        long[] frame = (long[]) ctx.getAttachment(FRAME_SIZE);
        try (NDArray plane = out.reshape(SIZE, SIZE)) {
            NDArray mask = Letterbox.plane(plane, (int) frame[0], (int) frame[1]);
            NDArray clipped = Clamp.apply(mask, 0f, 1f);
            mask.close();
            clipped.attach(TfjsTranslator.resultManager(ctx));
            return clipped;
        }
    }
}

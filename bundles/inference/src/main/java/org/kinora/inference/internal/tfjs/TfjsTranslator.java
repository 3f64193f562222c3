package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * A translator from one video frame ({@code UINT8 [H, W, 3]}) to a model's outputs, for a {@link TfjsBlock}. The results
 * are attached to the frame's manager (the caller's request scope), not to the predictor's per-call scope, so they outlive
 * {@code predict}.
 *
 * @param <O> what one frame gives
 */
public interface TfjsTranslator<O> extends NoBatchifyTranslator<NDArray, O> {

    /** Context key of the manager results go to. */
    String RESULT_MANAGER = "kinora.resultManager";

    /** The graph tensors (signature output keys) the block must produce, in the order {@code processOutput} reads them. */
    List<String> outputs();

    /** Context key of the frame's {@code long[] {H, W}}. */
    String FRAME_SIZE = "kinora.frameSize";

    /** Context key of the frame's {@link Letterbox}. */
    String LETTERBOX = "kinora.letterbox";

    /** The frame fitted to the model's square input, {@code UINT8}, on the frame's manager. */
    Letterbox fit(NDArray frame);

    /** The model input for a fitted picture: {@code [1, size, size, 3]} of the placeholder's dtype and value range. */
    NDArray toInput(NDArray square);

    @Override
    default NDList processInput(TranslatorContext ctx, NDArray frame) {
        if (frame.getShape().dimension() != 3 || frame.getShape().get(2) != 3) {
            throw new IllegalArgumentException("expects one RGB frame [H, W, 3], got " + frame.getShape());
        }
        ctx.setAttachment(RESULT_MANAGER, frame.getManager());
        ctx.setAttachment(FRAME_SIZE, new long[] {frame.getShape().get(0), frame.getShape().get(1)});
        Letterbox box = fit(frame);
        ctx.setAttachment(LETTERBOX, box);
        NDArray input = toInput(box.image());
        box.image().close();
        input.attach(ctx.getNDManager());
        return new NDList(input);
    }

    /** The manager the results must be attached to. */
    static NDManager resultManager(TranslatorContext ctx) {
        return (NDManager) ctx.getAttachment(RESULT_MANAGER);
    }
}

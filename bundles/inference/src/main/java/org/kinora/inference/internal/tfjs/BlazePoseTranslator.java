package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;
import java.util.List;

/**
 * BlazePose full landmarks, on a crop around one person: the crop is letterboxed into 256x256 as float RGB in [0, 1].
 *
 * <p>Graph outputs (signature keys): {@code ld_3d} {@code [1, 195]} = 39 points x (x, y, z, visibility, presence) in input
 * pixels, the first 33 being the BlazePose landmarks and the rest auxiliary ROI points; visibility and presence are logits.
 * {@code output_poseflag} {@code [1, 1]} is the probability (already a sigmoid) that a pose is present. {@code
 * activation_segmentation} {@code [1, 256, 256, 1]} is the person mask (sigmoid). Not used here: {@code activation_heatmap}
 * {@code [1, 64, 64, 39]} (per-point heatmaps) and {@code world_3d} {@code [1, 117]} (39 x xyz in metres, hip-centred).
 *
 * <p>Per frame this gives {@code landmarks FP32 [33, 5]} ({@code x, y} in [0, 1] of the crop, {@code z} in the same units as
 * {@code x} (input pixels / 256, negative towards the camera), visibility and presence through a sigmoid), {@code score FP32
 * []} and {@code mask FP32 [H, W]} at the crop's size.
 */
public final class BlazePoseTranslator implements TfjsTranslator<NDList> {

    /** Landmark output key. */
    public static final String LANDMARKS = "ld_3d";
    /** Pose presence output key. */
    public static final String FLAG = "output_poseflag";
    /** Mask output key. */
    public static final String SEGMENTATION = "activation_segmentation";
    /** The model's square side. */
    public static final int SIZE = 256;
    /** Landmarks reported. */
    public static final int POINTS = 33;

    @Override
    public List<String> outputs() {
        return List.of(LANDMARKS, FLAG, SEGMENTATION);
    }

    @Override
    public Letterbox fit(NDArray frame) {
        return Letterbox.of(frame, SIZE);
    }

    @Override
    public NDArray toInput(NDArray square) {
        return SelfieTranslator.unitFloat(square);
    }

    @Override
    public NDList processOutput(TranslatorContext ctx, NDList list) {
        Letterbox box = (Letterbox) ctx.getAttachment(LETTERBOX);
        long[] frame = (long[]) ctx.getAttachment(FRAME_SIZE);
        var out = TfjsTranslator.resultManager(ctx);
        float[] raw = list.get(0).toFloatArray();
        if (raw.length < POINTS * 5) {
            throw new IllegalStateException("BlazePose ld_3d has " + raw.length + " values, expected at least " + POINTS * 5);
        }
        float[] lm = new float[POINTS * 5];
        for (int j = 0; j < POINTS; j++) {
            lm[5 * j] = box.frameX(raw[5 * j] / SIZE);
            lm[5 * j + 1] = box.frameY(raw[5 * j + 1] / SIZE);
            lm[5 * j + 2] = raw[5 * j + 2] / SIZE;
            lm[5 * j + 3] = sigmoid(raw[5 * j + 3]);
            lm[5 * j + 4] = sigmoid(raw[5 * j + 4]);
        }
        NDArray landmarks = out.create(lm, new Shape(POINTS, 5));
        NDArray score = out.create(list.get(1).toFloatArray()[0]);
        NDArray seg = list.get(2);
        NDArray mask;
        try (NDArray plane = seg.reshape(SIZE, SIZE);
             NDArray inner = plane.get("{}:{}, {}:{}", box.top(), box.top() + box.height(), box.left(), box.left() + box.width());
             NDArray resized = Letterbox.plane(inner, (int) frame[0], (int) frame[1])) {
            mask = Clamp.apply(resized, 0f, 1f);
        }
        mask.attach(out);
        return new NDList(landmarks, score, mask);
    }

    private static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }
}

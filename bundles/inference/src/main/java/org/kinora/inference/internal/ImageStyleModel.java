package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * A built-in image-to-image style: {@code frames UINT8 [N, H, W, 3]} in, the same shape out, with a {@code strength}
 * parameter in {@code [0, 1]} blending the stylized picture with the source (0 gives the source exactly). Subclasses
 * work on {@code float32 [N, 3, H, W]} in {@code [0, 1]}.
 */
abstract class ImageStyleModel implements BuiltinModel {

    /** The input and output tensor name. */
    static final String FRAMES = "frames";
    /** The blend parameter. */
    static final String STRENGTH = "strength";

    private static final Set<String> PARAMETERS = Set.of(STRENGTH);
    private static final TensorSpec FRAMES_SPEC = new TensorSpec(FRAMES, TensorType.UINT8, new long[] {-1, -1, -1, 3});

    private final ModelInfo info;

    ImageStyleModel(String id, String description) {
        this.info = new ModelInfo(id, "image-to-image", FORMAT, description, List.of(FRAMES_SPEC), List.of(FRAMES_SPEC));
    }

    @Override
    public final ModelInfo info() {
        return info;
    }

    /**
     * The style itself, on {@code float32 [N, 3, H, W]} in {@code [0, 1]} (one frame at a time from {@link #run}); the
     * result need not be clipped. Everything it allocates lives until the frame is done, so heavy stages free their
     * intermediates early ({@link ImageOps#stage}).
     */
    abstract NDArray stylize(NDArray rgb);

    @Override
    public final NDList run(NDManager manager, NDList inputs, Map<String, Object> parameters, RunControl control)
            throws InferenceException {
        float strength = strength(parameters);
        NDArray frames = inputs.get(0);
        NDArray out;
        if (strength == 0f) {
            out = frames;
        } else {
            // frame by frame, each in a scope of its own: the styles create many full-size intermediates, and only one
            // frame's are alive at a time (a batch of two 1080p frames would otherwise hold them all twice over)
            long n = frames.getShape().get(0);
            NDList done = new NDList((int) n);
            for (long i = 0; i < n; i++) {
                control.checkpoint();
                try (NDManager frameScope = manager.newSubManager()) {
                    NDArray frame;
                    if (n == 1) {
                        frame = frames;
                        frame.tempAttach(frameScope);
                    } else {
                        frame = frames.get(new NDIndex("{}:{}", i, i + 1));
                        frame.attach(frameScope);
                    }
                    NDArray styled = style(frame, strength);
                    styled.attach(manager);
                    done.add(styled);
                }
                control.progress((i + 1) / (double) n);
            }
            out = n == 1 ? done.get(0) : NDArrays.concat(done, 0);
        }
        out.setName(FRAMES);
        return new NDList(out);
    }

    /** One frame, {@code UINT8 [1, H, W, 3]}, stylized and blended; everything but the result is in the frame's scope. */
    private NDArray style(NDArray frame, float strength) {
        NDArray src = frame.toType(DataType.FLOAT32, false).transpose(0, 3, 1, 2).divi(255f);
        NDArray styled = stylize(src);
        NDArray blended = strength == 1f ? styled.clip(0f, 1f) : src.add(styled.sub(src).muli(strength)).clip(0f, 1f);
        return blended.muli(255f).addi(0.5f).toType(DataType.UINT8, false).transpose(0, 2, 3, 1);
    }

    private float strength(Map<String, Object> parameters) throws InferenceException {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new InvalidInferenceRequestException("model '" + id() + "': unknown parameter '" + name + "' (parameters: "
                        + String.join(", ", PARAMETERS) + ")");
            }
        }
        return Params.unitNumber(id(), parameters, STRENGTH, 1.0);
    }
}

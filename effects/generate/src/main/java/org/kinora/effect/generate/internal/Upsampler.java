package org.kinora.effect.generate.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.kinora.core.effect.EffectException;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * The pipeline's optional learned second stage: a super-resolution export (Real-ESRGAN, SwinIR and the like) run on each
 * native frame before the classical bicubic scaling takes it the rest of the way to the project's size. Its card declares
 * one input and one output {@code FP32 [1, 3, H, W]} with pixels in [0, 1], the layout these networks are exported in;
 * sizes may be free ({@code -1}) or fixed, as the network was exported. {@link #BICUBIC} (the default) is no model.
 *
 * @param model the model id, or {@link #BICUBIC}
 * @param input the name of its input tensor
 */
record Upsampler(String model, String input) {

    /** No learned stage: bicubic scaling only. */
    static final String BICUBIC = "bicubic";
    /** Largest frame accepted back from the model, in pixels (a 4K frame is 8.3 M). */
    static final long MAX_PIXELS = 40_000_000L;

    static Upsampler bicubic() {
        return new Upsampler(BICUBIC, null);
    }

    /** An export, its card checked. */
    static Upsampler of(ModelInfo info) throws EffectException {
        String what = GenerateEffect.ID + ": parameter 'upsampler': model '" + info.id() + "'";
        if (info.inputs().size() != 1 || info.outputs().size() != 1) {
            throw new EffectException(what + " must declare one input and one output, FP32 [1, 3, H, W]; its card declares "
                    + info.inputs().size() + " and " + info.outputs().size());
        }
        for (TensorSpec s : List.of(info.inputs().get(0), info.outputs().get(0))) {
            long[] d = s.shape();
            if (s.type() != TensorType.FP32 || d.length != 4 || (d[0] != 1 && d[0] != -1) || d[1] != 3) {
                throw new EffectException(what + ": tensor '" + s.name() + "' must be FP32 [1, 3, H, W]; the card says " + s.type() + " "
                        + Arrays.toString(d));
            }
        }
        return new Upsampler(info.id(), info.inputs().get(0).name());
    }

    boolean isBicubic() {
        return BICUBIC.equals(model);
    }

    /**
     * One frame through the network: {@code [H, W, 3]} in [-1, 1] in, the larger frame out in the same layout and range
     * with its size in {@code size[0]} (width) and {@code size[1]} (height); {@code null} when the job was cancelled.
     */
    float[] upsample(ModelCalls calls, float[] frame, int width, int height, int[] size) throws InferenceException, InterruptedException {
        int plane = width * height;
        float[] in = new float[frame.length];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                in[c * plane + i] = (frame[3 * i + c] + 1) / 2;
            }
        }
        InferenceResult r = calls.call(model, List.of(Tensor.ofFloats(input, new long[] {1, 3, height, width}, in)), Map.of());
        if (r == null) {
            return null;
        }
        Tensor t = r.outputs().get(0);
        long[] s = t.shape();
        if (t.type() != TensorType.FP32 || s.length != 4 || s[0] != 1 || s[1] != 3 || s[2] < height || s[3] < width
                || s[2] * s[3] > MAX_PIXELS) {
            throw new InferenceException("upsampler '" + model + "' returned " + t + " for a " + width + "x" + height
                    + " frame; expected FP32 [1, 3, H, W] at least as large and at most " + MAX_PIXELS + " pixels");
        }
        int oh = (int) s[2];
        int ow = (int) s[3];
        int op = ow * oh;
        float[] f = t.floats();
        float[] out = new float[op * 3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < op; i++) {
                out[3 * i + c] = Math.max(-1, Math.min(1, f[c * op + i] * 2 - 1));
            }
        }
        size[0] = ow;
        size[1] = oh;
        return out;
    }
}

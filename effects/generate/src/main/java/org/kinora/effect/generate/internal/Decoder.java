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
 * The pipeline's decoder stage: from the denoiser's latent to frames. The built-in model's latent is pixels ({@link
 * #PIXELS}: decoding is the identity). A decoder export (a video VAE's decoder, wrapped to this layout) is a model whose
 * card declares one input {@code FP32 [1, T, h, w, C]} and one output {@code FP32 [1, T', H, W, 3]} in [-1, 1], every
 * size fixed: the card is what tells the sampler the latent's shape, and the output's the clip's native size.
 *
 * @param model    the model id, or {@link #PIXELS}
 * @param input    the name of its input tensor (null for {@link #PIXELS})
 * @param latent   the latent of one chunk: frames, height, width, channels
 * @param frames   frames one chunk decodes to
 * @param width    their width
 * @param height   their height
 */
record Decoder(String model, String input, int[] latent, int frames, int width, int height) {

    /** The built-in decoder: the latent is the frames. */
    static final String PIXELS = "pixels";
    /** Largest latent or decoded chunk accepted from a card (values), so a card cannot make the effect allocate without bound. */
    static final long MAX_VALUES = 1L << 27;

    /** The identity decoder of a pixel latent of {@code frames} frames of {@code width x height}. */
    static Decoder pixels(int frames, int width, int height) {
        return new Decoder(PIXELS, null, new int[] {frames, height, width, 3}, frames, width, height);
    }

    /** A decoder export, its geometry read and checked from its card. */
    static Decoder of(ModelInfo info) throws EffectException {
        String what = GenerateEffect.ID + ": parameter 'decoder': model '" + info.id() + "'";
        if (info.inputs().size() != 1 || info.outputs().size() != 1) {
            throw new EffectException(what + " must declare one input (the latent) and one output (the frames); its card declares "
                    + info.inputs().size() + " and " + info.outputs().size());
        }
        long[] in = fixed(what + ", input '" + info.inputs().get(0).name() + "'", info.inputs().get(0), "[1, T, h, w, C]");
        long[] out = fixed(what + ", output '" + info.outputs().get(0).name() + "'", info.outputs().get(0), "[1, T', H, W, 3]");
        if (out[4] != 3) {
            throw new EffectException(what + ": its output must be RGB frames [1, T', H, W, 3]; the card says " + Arrays.toString(out));
        }
        if (in[1] * in[2] * in[3] * in[4] > MAX_VALUES || out[1] * out[2] * out[3] * 3 > MAX_VALUES) {
            throw new EffectException(what + ": a chunk of " + Arrays.toString(in) + " -> " + Arrays.toString(out)
                    + " is larger than the " + MAX_VALUES + " values this effect takes");
        }
        return new Decoder(info.id(), info.inputs().get(0).name(), new int[] {(int) in[1], (int) in[2], (int) in[3], (int) in[4]}, (int) out[1], (int) out[3],
                (int) out[2]);
    }

    private static long[] fixed(String what, TensorSpec spec, String layout) throws EffectException {
        long[] s = spec.shape();
        if (spec.type() != TensorType.FP32 || s.length != 5 || s[0] != 1 || Arrays.stream(s).anyMatch(d -> d <= 0)) {
            throw new EffectException(what + " must be FP32 " + layout + " with every size fixed; the card says " + spec.type() + " "
                    + Arrays.toString(s));
        }
        return s;
    }

    boolean isPixels() {
        return PIXELS.equals(model);
    }

    /** Values in one latent frame (the anchor the next chunk continues from). */
    int latentFrameValues() {
        return latent[1] * latent[2] * latent[3];
    }

    /** A chunk's frames in [-1, 1], {@code [T', H, W, 3]} flat; {@code null} when the job was cancelled. */
    float[] decode(ModelCalls calls, float[] latentChunk) throws InferenceException, InterruptedException {
        if (isPixels()) {
            return latentChunk;
        }
        long[] shape = {1, latent[0], latent[1], latent[2], latent[3]};
        InferenceResult r = calls.call(model, List.of(Tensor.ofFloats(input, shape, latentChunk)), Map.of());
        if (r == null) {
            return null;
        }
        Tensor t = r.outputs().get(0);
        int n = frames * height * width * 3;
        if (t.type() != TensorType.FP32 || t.elementCount() != n) {
            throw new InferenceException("decoder '" + model + "' returned " + t + "; its card promised FP32 [1, " + frames + ", " + height
                    + ", " + width + ", 3]");
        }
        return t.floats();
    }
}

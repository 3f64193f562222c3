package org.kinora.effect.generate.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/**
 * Sampling of a rectified-flow model (the denoiser predicts the velocity {@code noise - data}; {@code t} runs from 1,
 * pure noise, to 0, the clip), with classifier-free guidance: {@code v = v_neg + g (v_prompt - v_neg)}, where the negative
 * branch is the negative prompt's embedding or the empty prompt's (zeros, as the model was trained to know it). Both
 * branches go to the service as one batch of two. Euler (one evaluation per step) or Heun (two: the predictor's
 * velocity averaged with the corrector's; second order, Karras et al. 2022), on a timestep grid shifted towards the
 * noisy end ({@link #SHIFT}), as SD3 and HunyuanVideo sample. A denoiser that reads the text encoder's token states
 * (inputs {@value #TEXT_TOKENS} and {@value #TEXT_MASK}) gets both branches' word pieces, padded to the longer one. The starting noise comes from {@link Random} with the
 * seed, so a seed gives the same clip on any machine and device.
 *
 * <p>A chunk's known first frames ({@link Chunk#known}) are kept: after every step (and before Heun's corrector) they
 * are set to themselves noised to the step's level with the chunk's own starting noise, {@code (1 - t) known + t
 * noise} ("replacement", as video diffusion models fill in known frames: Ho et al. 2022). That is what the denoiser saw
 * in training (a clip's frames, noised alike), so the other frames are drawn to continue them, and the chunk ends on
 * them exactly. The anchor input alone only nudged the network: the built-in model's first frame came out 7.6 levels
 * from the picture against 9.6 without it, and the frames of a long clip's chunks drifted 44 levels in 4 s.
 */
final class FlowSampler {

    /** The integration method. */
    enum Method {
        EULER, HEUN
    }

    /** Inputs of a denoiser that reads the prompt's token states by cross-attention: {@code [B, L, E]} and its mask {@code [B, L]}. */
    static final String TEXT_TOKENS = "text_tokens";
    static final String TEXT_MASK = "text_mask";

    /**
     * A prompt as the denoiser takes it: the pooled {@code embedding} [E] and, for a denoiser that reads them, the token
     * states {@code tokens} ([words, E] row-major; {@code null} when the denoiser does not take them). The empty prompt
     * is zeros and no word pieces.
     */
    record Text(float[] embedding, float[] tokens, int words) {

        /** The empty prompt, as the model was trained to know it (dropped captions). */
        static Text empty(int width, boolean withTokens) {
            return new Text(new float[width], withTokens ? new float[0] : null, 0);
        }
    }

    /** Timestep shift: {@code t' = s t / (1 + (s - 1) t)}; more of the steps where the picture is still forming. */
    static final double SHIFT = 2.0;

    /**
     * What the sampler asks of the denoiser: a latent of {@code [frames, height, width, channels]} (the built-in model's
     * latent is pixels: 3 channels), optionally continuing from {@code known}: the chunk's first latent frames, one or
     * more {@code [height, width, channels]} (a picture to start from, or the end of the chunk before). The first of
     * them is also the denoiser's {@code anchor} input.
     */
    record Chunk(int frames, int width, int height, int channels, float[] known) {

        Chunk {
            int frame = width * height * channels;
            if (known != null && (known.length == 0 || known.length % frame != 0 || known.length / frame >= frames)) {
                throw new IllegalArgumentException(known.length + " known values for a chunk of " + frames + " latent frames of " + width
                        + "x" + height + "x" + channels);
            }
        }

        /** The denoiser's anchor input: the first known frame, or {@code null}. */
        float[] anchor() {
            return known == null ? null : Arrays.copyOf(known, width * height * channels);
        }

        /** A chunk of a pixel latent (3 channels). */
        Chunk(int frames, int width, int height, float[] known) {
            this(frames, width, height, 3, known);
        }
    }

    /** Reports evaluations done; returns false to stop (cancelled). */
    interface Progress {
        boolean step(int done, int total);
    }

    private final ModelCalls calls;
    private final String denoiser;

    FlowSampler(ModelCalls calls, String denoiser) {
        this.calls = calls;
        this.denoiser = denoiser;
    }

    /** The timesteps from 1 to 0, {@code steps + 1} of them. */
    static double[] schedule(int steps) {
        double[] t = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            double u = 1 - i / (double) steps;
            t[i] = SHIFT * u / (1 + (SHIFT - 1) * u);
        }
        return t;
    }

    /** The starting noise of a chunk: a seed gives the same numbers everywhere. */
    static float[] noise(long seed, int n) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /**
     * Samples one chunk: the latent, {@code [T, H, W, C]} flat (for a pixel latent, frames in [-1, 1]); {@code null} when
     * cancelled.
     *
     * @param prompt   the prompt
     * @param negative the negative prompt, or the empty prompt
     */
    float[] sample(Chunk c, Text prompt, Text negative, double guidance, int steps, Method method, long seed, Progress progress)
            throws InferenceException, InterruptedException {
        int n = c.frames() * c.height() * c.width() * c.channels();
        float[] x = noise(seed, n);
        float[] start = x.clone();
        double[] t = schedule(steps);
        List<Tensor> fixed = conditioning(c, prompt, negative);
        for (int i = 0; i < steps; i++) {
            float[] v = velocity(c, x, t[i], fixed, guidance);
            if (v == null) {
                return null;
            }
            double dt = t[i + 1] - t[i];
            if (method == Method.HEUN && t[i + 1] > 0) {
                float[] xe = new float[n];
                for (int k = 0; k < n; k++) {
                    xe[k] = (float) (x[k] + dt * v[k]);
                }
                keepKnown(c, xe, start, t[i + 1]);
                float[] v2 = velocity(c, xe, t[i + 1], fixed, guidance);
                if (v2 == null) {
                    return null;
                }
                for (int k = 0; k < n; k++) {
                    x[k] += (float) (dt * 0.5 * (v[k] + v2[k]));
                }
            } else {
                for (int k = 0; k < n; k++) {
                    x[k] += (float) (dt * v[k]);
                }
            }
            keepKnown(c, x, start, t[i + 1]);
            if (!progress.step(i + 1, steps)) {
                return null;
            }
        }
        return x;
    }

    /**
     * Sets a chunk's known first frames to themselves noised to level {@code t} with the chunk's starting noise {@code
     * start}; leaves a chunk without them alone.
     */
    static void keepKnown(Chunk c, float[] x, float[] start, double t) {
        float[] a = c.known();
        if (a == null) {
            return;
        }
        for (int k = 0; k < a.length; k++) {
            x[k] = (float) ((1 - t) * a[k] + t * start[k]);
        }
    }

    /**
     * The inputs that stay the same for every step of a chunk (both branches' prompts, the anchor and its flag), made
     * once per chunk.
     */
    static List<Tensor> conditioning(Chunk c, Text prompt, Text negative) {
        int e = prompt.embedding().length;
        long h = c.height();
        long w = c.width();
        int ch = c.channels();
        int a = (int) (h * w * ch);
        float[] anchor = c.anchor();
        float flag = anchor == null ? 0 : 1;
        List<Tensor> in = new ArrayList<>(List.of(
                Tensor.ofFloats("text", new long[] {2, e}, pair(prompt.embedding(), negative.embedding())),
                Tensor.ofFloats("anchor", new long[] {2, h, w, ch}, anchor == null ? new float[2 * a] : twice(anchor)),
                Tensor.ofFloats("anchor_flag", new long[] {2}, new float[] {flag, flag})));
        if (prompt.tokens() != null) {
            in.addAll(words(prompt, negative, e));
        }
        return List.copyOf(in);
    }

    /** The guided velocity at {@code x}, time {@code t}: both branches in one call. */
    private float[] velocity(Chunk c, float[] x, double t, List<Tensor> fixed, double guidance)
            throws InferenceException, InterruptedException {
        int n = x.length;
        List<Tensor> in = new ArrayList<>(fixed.size() + 2);
        in.add(Tensor.ofFloats("latent", new long[] {2, c.frames(), c.height(), c.width(), c.channels()}, twice(x)));
        in.add(Tensor.ofFloats("t", new long[] {2}, new float[] {(float) t, (float) t}));
        in.addAll(fixed);
        InferenceResult r = calls.call(denoiser, in, Map.of());
        if (r == null) {
            return null;
        }
        Tensor out = r.output("velocity").orElseThrow(() -> new InferenceException("model '" + denoiser + "' returned no 'velocity'"));
        if (out.type() != TensorType.FP32 || out.elementCount() != 2 * n) {
            throw new InferenceException("model '" + denoiser + "' returned " + out + "; expected FP32 with " + 2 * n + " values");
        }
        float[] v = out.floats();
        float[] guided = new float[n];
        for (int k = 0; k < n; k++) {
            float vc = v[k];
            float vu = v[n + k];
            guided[k] = (float) (vu + guidance * (vc - vu));
        }
        return guided;
    }

    /** Both branches' token states padded to the longer (at least one word piece, masked out when it is padding). */
    static List<Tensor> words(Text prompt, Text negative, int e) {
        int l = Math.max(1, Math.max(prompt.words(), negative.words()));
        float[] tokens = new float[2 * l * e];
        float[] mask = new float[2 * l];
        System.arraycopy(prompt.tokens(), 0, tokens, 0, prompt.words() * e);
        System.arraycopy(negative.tokens(), 0, tokens, l * e, negative.words() * e);
        Arrays.fill(mask, 0, prompt.words(), 1f);
        Arrays.fill(mask, l, l + negative.words(), 1f);
        return List.of(Tensor.ofFloats(TEXT_TOKENS, new long[] {2, l, e}, tokens), Tensor.ofFloats(TEXT_MASK, new long[] {2, l}, mask));
    }

    /** Both guidance branches take the same values. */
    private static float[] twice(float[] x) {
        return pair(x, x);
    }

    private static float[] pair(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

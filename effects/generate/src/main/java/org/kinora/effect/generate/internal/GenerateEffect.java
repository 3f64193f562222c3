package org.kinora.effect.generate.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.EffectId;
import org.kinora.core.effect.EffectInfo;
import org.kinora.core.effect.InputKind;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterSpec;
import org.kinora.core.param.ParameterValues;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code generate} effect: b-roll from a prompt. Text encoder -> latent video diffusion transformer sampled with flow
 * matching and classifier-free guidance ({@link FlowSampler}, this bundle's own code) -> decoder (the built-in model's
 * latent is pixels) -> upsampler to the project's size and rate ({@link NativeClip}). Clips longer than the model's
 * native length are made in chunks, each continuing from the last frames of the one before ({@link #CARRIED}).
 */
@Component(service = Effect.class)
@EffectId(GenerateEffect.ID)
public final class GenerateEffect implements Effect {

    public static final String ID = "generate";

    static final String PROMPT = "prompt";
    static final String NEGATIVE = "negative";
    static final String SEED = "seed";
    static final String STEPS = "steps";
    static final String GUIDANCE = "guidance";
    static final String SAMPLER = "sampler";
    static final String ANCHOR = "anchor";
    static final String DURATION = "duration";
    static final String TEXT_MODEL = "text_model";
    static final String DENOISER = "denoiser";
    static final String DECODER = "decoder";
    static final String UPSAMPLER = "upsampler";
    static final String NATIVE_FPS_PARAM = "native_fps";

    /** The built-in model's native length (frames) and rate: a chunk. */
    static final int CHUNK_FRAMES = 8;
    /**
     * Latent frames a chunk takes over from the one before: the built-in model's temporal patch (two frames make one
     * token), so the chunk continues from a whole token as the chunk before left it, and sees the motion as well as the
     * picture. With one frame carried, the next frame shared its token and was drawn afresh: in 4 s of a moving circle
     * the frame's mean brightness changed by up to 15 levels over the native frame after a join, with two by up to 11
     * (the rest is the object redrawn where the world never showed it, at the frame's edge). A decoder export's latent
     * frames need not be frames of the clip, so one continues from the last latent frame only.
     */
    static final int CARRIED = 2;
    static final double NATIVE_FPS = 8;
    /** Its native sizes per aspect ratio (the buckets it was trained on). */
    static final int[][] BUCKETS = {{56, 32}, {32, 56}, {40, 40}, {48, 36}};
    /** Longest clip made (seconds). */
    static final double MAX_SECONDS = 600;

    private static final EffectInfo INFO = new EffectInfo(ID, "Generate",
            "Makes a b-roll clip from a prompt: a text-to-video pipeline of the shape of today's systems. The prompt is embedded by"
                    + " a text encoder (all-MiniLM-L6-v2); a latent video diffusion transformer with full spatio-temporal attention"
                    + " (the built-in t2v-world, trained by Kinora on its procedural world of moving shapes, or your own export)"
                    + " is sampled with flow matching (Euler or Heun) and classifier-free guidance, at the native size of the"
                    + " project's aspect ratio (16:9, 9:16, 1:1, 4:3), then upsampled (bicubic) to the project's size and rate."
                    + " Longer clips are made in 1-second chunks, each continuing from the last frames of the one before.",
            InputKind.NONE,
            List.of(ParameterSpec.text(PROMPT, "", "What the clip shows, e.g. 'a red circle moving left on a sandy background'; required"),
                    ParameterSpec.text(NEGATIVE, "", "What it should not show (the guidance pushes away from it); empty = nothing"),
                    ParameterSpec.integer(SEED, 0, Integer.MAX_VALUE, 1, "Random seed: the same seed and settings make the same clip"),
                    ParameterSpec.integer(STEPS, 1, 200, 20, "Denoising steps per chunk (more: cleaner, slower)"),
                    ParameterSpec.number(GUIDANCE, 1, 20, 4, "Classifier-free guidance scale: how strongly the clip follows the prompt"),
                    ParameterSpec.choice(SAMPLER, List.of("heun", "euler"), "heun",
                            "Flow-matching sampler: heun (second order, two model calls a step) or euler (one)"),
                    ParameterSpec.text(ANCHOR, "", "A picture to start from, as CLIP@TIME (e.g. V1:2@3.5: that clip's frame at 3.5 s);"
                            + " the clip keeps its look and subject"),
                    ParameterSpec.number(DURATION, 0.25, MAX_SECONDS, 4, "Length of the clip in seconds"),
                    ParameterSpec.text(TEXT_MODEL, "minilm-l6-v2", "Text encoder model id (a text-embedding model of the store)"),
                    ParameterSpec.text(DENOISER, "t2v-world", "Denoiser model id: the built-in t2v-world, or an export with the same"
                            + " inputs (latent, t, text, anchor, anchor_flag; text_tokens [B, L, E] and text_mask [B, L] when it reads"
                            + " the prompt's token states) and output (velocity)"),
                    ParameterSpec.text(DECODER, Decoder.PIXELS, "Decoder from the latent to frames: pixels (the built-in model's latent"
                            + " is pixels), or a decoder export whose card declares FP32 [1, T, h, w, C] in and [1, T', H, W, 3] in [-1, 1]"
                            + " out, every size fixed; its output size is the clip's native size"),
                    ParameterSpec.text(UPSAMPLER, Upsampler.BICUBIC, "Second stage to the project's size: bicubic (classical), or a"
                            + " super-resolution export (FP32 [1, 3, H, W] in [0, 1] in and out) run on each native frame before"
                            + " bicubic scaling does the rest"),
                    ParameterSpec.number(NATIVE_FPS_PARAM, 1, 120, NATIVE_FPS, "Frame rate the denoiser and decoder make (8 for the"
                            + " built-in t2v-world; set it to your export's)")));

    private final InferenceService inference;

    @Activate
    public GenerateEffect(@Reference(name = "inference") InferenceService inference) {
        this.inference = inference;
    }

    @Override
    public EffectInfo info() {
        return INFO;
    }

    @Override
    public void check(ParameterValues p) throws EffectException {
        if (p.text(PROMPT) == null || p.text(PROMPT).isBlank()) {
            throw new EffectException(ID + ": parameter 'prompt' is required: what the clip shows");
        }
        String anchor = p.text(ANCHOR);
        if (anchor != null && !anchor.isBlank()) {
            anchorParts(anchor);
        }
        List<String> models = new ArrayList<>(List.of(p.text(TEXT_MODEL), p.text(DENOISER)));
        if (!Decoder.PIXELS.equals(p.text(DECODER))) {
            models.add(p.text(DECODER));
            if (anchor != null && !anchor.isBlank()) {
                throw new EffectException(ID + ": parameter 'anchor': an anchor picture must be encoded into the latent of decoder '"
                        + p.text(DECODER) + "', and there is no encoder slot; leave anchor empty with a decoder export");
            }
        }
        if (!Upsampler.BICUBIC.equals(p.text(UPSAMPLER))) {
            models.add(p.text(UPSAMPLER));
        }
        for (String id : models) {
            if (inference.models().stream().noneMatch(m -> m.id().equals(id))) {
                throw new EffectException(ID + ": model '" + id + "' is not available"
                        + (id.equals("minilm-l6-v2") ? " (get it with: kinora models fetch minilm-l6-v2)" : " (kinora models list)"));
            }
        }
    }

    /** {@code REF@SECONDS} split, or an error naming the parameter. */
    static String[] anchorParts(String anchor) throws EffectException {
        int at = anchor.lastIndexOf('@');
        if (at <= 0 || at == anchor.length() - 1) {
            throw new EffectException(ID + ": parameter 'anchor': '" + anchor + "' is not CLIP@TIME (e.g. V1:2@3.5)");
        }
        try {
            double s = Double.parseDouble(anchor.substring(at + 1));
            if (!(s >= 0)) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new EffectException(ID + ": parameter 'anchor': time '" + anchor.substring(at + 1) + "' is not seconds >= 0");
        }
        return new String[] {anchor.substring(0, at).trim(), anchor.substring(at + 1).trim()};
    }

    /** The native size whose aspect ratio is nearest the project's. */
    static int[] bucket(int width, int height) {
        double r = Math.log((double) width / height);
        int[] best = BUCKETS[0];
        for (int[] b : BUCKETS) {
            if (Math.abs(Math.log((double) b[0] / b[1]) - r) < Math.abs(Math.log((double) best[0] / best[1]) - r)) {
                best = b;
            }
        }
        return best;
    }

    @Override
    public void render(EffectContext context) throws EffectException, InterruptedException {
        ParameterValues p = context.parameters();
        check(p);
        JobContext job = context.job();
        long frames = context.frameCount();
        double fps = context.profile().frameRate().fps();
        if (frames < 1 || frames / fps > MAX_SECONDS + 1) {
            throw new EffectException(ID + ": " + frames + " frames asked; at most " + MAX_SECONDS + " s can be made");
        }
        Decoder decoder = decoder(p, context.profile().width(), context.profile().height());
        Upsampler upsampler = upsampler(p);
        double nativeFps = p.number(NATIVE_FPS_PARAM);
        ModelCalls calls = new ModelCalls(inference, job);
        boolean words = info(p.text(DENOISER)).inputs().stream().anyMatch(i -> i.name().equals(FlowSampler.TEXT_TOKENS));
        FlowSampler.Text[] text;
        try {
            text = embed(calls, p.text(TEXT_MODEL), p.text(PROMPT), p.text(NEGATIVE), words);
        } catch (InferenceException e) {
            throw new EffectException(ID + ": text encoder '" + p.text(TEXT_MODEL) + "': " + e.getMessage(), e);
        }
        if (text == null) {
            return;
        }
        int[] lat = decoder.latent();
        // the frames the next chunk starts from: the anchor picture, then the end of the chunk before
        float[] known = p.text(ANCHOR).isBlank() ? null : anchor(context, p.text(ANCHOR), new int[] {decoder.width(), decoder.height()});
        int needed = NativeClip.framesFor(frames / fps, nativeFps);
        // each chunk after the first starts on the previous one's last frames, so it adds that many fewer than it makes
        int carried = decoder.isPixels() ? CARRIED : 1;
        int chunks = 1 + (int) Math.ceil(Math.max(0, needed - decoder.frames()) / (double) (decoder.frames() - carried));
        int steps = (int) p.integer(STEPS);
        FlowSampler sampler = new FlowSampler(calls, p.text(DENOISER));
        FlowSampler.Method method = FlowSampler.Method.valueOf(p.text(SAMPLER).toUpperCase(Locale.ROOT));
        long seed = p.integer(SEED);
        List<float[]> all = new ArrayList<>();
        int frame = decoder.width() * decoder.height() * 3;
        int total = chunks * steps + (upsampler.isBicubic() ? 0 : needed);
        for (int k = 0; k < chunks; k++) {
            int base = k * steps;
            float[] x;
            float[] decoded;
            try {
                x = sampler.sample(new FlowSampler.Chunk(lat[0], lat[2], lat[1], lat[3], known), text[0], text[1], p.number(GUIDANCE),
                        steps, method, seed + 7919L * k, (done, of) -> {
                            job.progress(base + done, total);
                            return !job.isCancelled();
                        });
            } catch (InferenceException e) {
                throw new EffectException(ID + ": denoiser '" + p.text(DENOISER) + "', chunk " + (k + 1) + " of " + chunks + ": "
                        + e.getMessage(), e);
            }
            if (x == null) {
                return;
            }
            try {
                decoded = decoder.decode(calls, x);
            } catch (InferenceException e) {
                throw new EffectException(ID + ": decoder '" + decoder.model() + "', chunk " + (k + 1) + " of " + chunks + ": "
                        + e.getMessage(), e);
            }
            if (decoded == null) {
                return;
            }
            if (k > 0) {
                matchColour(decoded, all.get(all.size() - carried), frame);
            }
            for (int f = k == 0 ? 0 : carried; f < decoder.frames(); f++) {
                float[] one = new float[frame];
                System.arraycopy(decoded, f * frame, one, 0, frame);
                all.add(one);
            }
            // the next chunk continues from this one's last latent frames (for a pixel latent: the colour-matched frames)
            if (decoder.isPixels()) {
                known = new float[carried * frame];
                for (int f = 0; f < carried; f++) {
                    System.arraycopy(all.get(all.size() - carried + f), 0, known, f * frame, frame);
                }
            } else {
                known = new float[decoder.latentFrameValues()];
                System.arraycopy(x, x.length - known.length, known, 0, known.length);
            }
        }
        // the last chunk may run past the clip's end: those frames are never shown, so they are not upsampled either
        all = new ArrayList<>(all.subList(0, Math.min(needed, all.size())));
        int[] nativeSize = {decoder.width(), decoder.height()};
        if (!upsampler.isBicubic()) {
            all = upsample(upsampler, calls, all, nativeSize, chunks * steps, total);
            if (all == null) {
                return;
            }
        }
        NativeClip clip = new NativeClip(all, nativeSize[0], nativeSize[1], nativeFps);
        int w = context.profile().width();
        int h = context.profile().height();
        for (long j = 0; j < frames; j++) {
            if (job.isCancelled()) {
                return;
            }
            try {
                context.output().write(new VideoFrame(j, w, h, ByteBuffer.wrap(clip.frame(j, fps, w, h))));
            } catch (MediaException e) {
                throw new EffectException(ID + ": writing frame " + j + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** The decoder stage the parameters name, at the native size of the project's aspect ratio for the built-in one. */
    private Decoder decoder(ParameterValues p, int width, int height) throws EffectException {
        if (Decoder.PIXELS.equals(p.text(DECODER))) {
            int[] size = bucket(width, height);
            return Decoder.pixels(CHUNK_FRAMES, size[0], size[1]);
        }
        Decoder d = Decoder.of(info(p.text(DECODER)));
        double want = Math.log((double) width / height);
        double have = Math.log((double) d.width() / d.height());
        if (Math.abs(want - have) > 0.02) {
            throw new EffectException(String.format(Locale.ROOT, "%s: parameter 'decoder': model '%s' makes %dx%d frames (%.3f:1) and the"
                    + " project is %dx%d (%.3f:1); the clip would be stretched: use a decoder exported at the project's aspect ratio",
                    ID, d.model(), d.width(), d.height(), Math.exp(have), width, height, Math.exp(want)));
        }
        return d;
    }

    private Upsampler upsampler(ParameterValues p) throws EffectException {
        return Upsampler.BICUBIC.equals(p.text(UPSAMPLER)) ? Upsampler.bicubic() : Upsampler.of(info(p.text(UPSAMPLER)));
    }

    private ModelInfo info(String id) throws EffectException {
        return inference.models().stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new EffectException(ID + ": model '" + id + "' is not available (kinora models list)"));
    }

    /**
     * Every native frame through the learned upsampler; the frames' new size in {@code size}. {@code null} when cancelled.
     * All frames must come back the same size.
     */
    private static List<float[]> upsample(Upsampler up, ModelCalls calls, List<float[]> frames, int[] size, int done, int total)
            throws EffectException, InterruptedException {
        List<float[]> out = new ArrayList<>(frames.size());
        int[] first = null;
        for (int i = 0; i < frames.size(); i++) {
            int[] s = new int[2];
            float[] big;
            try {
                big = up.upsample(calls, frames.get(i), size[0], size[1], s);
            } catch (InferenceException e) {
                throw new EffectException(ID + ": upsampler '" + up.model() + "', frame " + i + ": " + e.getMessage(), e);
            }
            if (big == null) {
                return null;
            }
            if (first == null) {
                first = s;
            } else if (first[0] != s[0] || first[1] != s[1]) {
                throw new EffectException(ID + ": upsampler '" + up.model() + "' made frame 0 " + first[0] + "x" + first[1] + " and frame " + i
                        + " " + s[0] + "x" + s[1]);
            }
            out.add(big);
            calls.job().progress(Math.min(total, done + i + 1), total);
        }
        size[0] = first[0];
        size[1] = first[1];
        return out;
    }

    /**
     * Shifts a chunk's colours so its first frame has the anchor's mean per channel. The first frame of an anchored chunk
     * is meant to be the anchor; what it is off by is drift, and left alone it would show as a jump at the join and add
     * up over a long clip. (Colour matching to the conditioning frame, as long-video pipelines do between windows.) The
     * sampler keeps a pixel latent's known frames exactly, so this only moves what a decoder export makes of its latent.
     */
    static void matchColour(float[] chunk, float[] anchor, int frame) {
        double[] shift = new double[3];
        for (int i = 0; i < frame; i++) {
            shift[i % 3] += anchor[i] - chunk[i];
        }
        for (int c = 0; c < 3; c++) {
            shift[c] /= frame / 3.0;
        }
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (float) Math.max(-1, Math.min(1, chunk[i] + shift[i % 3]));
        }
    }

    /**
     * The prompt and the negative prompt as the denoiser takes them (the empty prompt for no negative prompt), with their
     * token states when {@code words}; {@code null} when cancelled.
     */
    static FlowSampler.Text[] embed(ModelCalls calls, String model, String prompt, String negative, boolean words)
            throws InferenceException, InterruptedException {
        boolean neg = negative != null && !negative.isBlank();
        List<String> texts = neg ? List.of(prompt, negative) : List.of(prompt);
        InferenceResult r = calls.call(model, List.of(Tensor.ofStrings("text", new long[] {texts.size()}, texts)),
                words ? Map.of(TOKEN_STATES, true) : Map.of());
        if (r == null) {
            return null;
        }
        Tensor t = r.output("embedding").orElseThrow(() -> new InferenceException("no 'embedding' output"));
        if (t.type() != TensorType.FP32 || t.elementCount() % texts.size() != 0) {
            throw new InferenceException("model '" + model + "' returned " + t + "; expected FP32 embeddings of " + texts.size() + " texts");
        }
        float[] f = t.floats();
        int e = f.length / texts.size();
        if (!words) {
            return new FlowSampler.Text[] {new FlowSampler.Text(Arrays.copyOf(f, e), null, 0),
                    neg ? new FlowSampler.Text(Arrays.copyOfRange(f, e, 2 * e), null, 0) : FlowSampler.Text.empty(e, false)};
        }
        Tensor states = r.output("tokens").orElseThrow(() -> new InferenceException("no 'tokens' output: the denoiser reads token"
                + " states, and this text encoder does not give them"));
        Tensor mask = r.output("token_mask").orElseThrow(() -> new InferenceException("no 'token_mask' output"));
        long[] s = states.shape();
        if (states.type() != TensorType.FP32 || mask.type() != TensorType.FP32 || s.length != 3 || s[0] != texts.size() || s[2] != e
                || !Arrays.equals(mask.shape(), new long[] {s[0], s[1]})) {
            throw new InferenceException("model '" + model + "' returned token states " + states + " and mask " + mask + "; expected FP32 ["
                    + texts.size() + ", L, " + e + "] and [" + texts.size() + ", L]");
        }
        int l = (int) s[1];
        float[] all = states.floats();
        float[] m = mask.floats();
        FlowSampler.Text[] out = new FlowSampler.Text[2];
        for (int i = 0; i < texts.size(); i++) {
            int n = 0;
            while (n < l && m[i * l + n] > 0.5f) {
                n++;
            }
            out[i] = new FlowSampler.Text(Arrays.copyOfRange(f, i * e, (i + 1) * e), Arrays.copyOfRange(all, i * l * e, (i * l + n) * e), n);
        }
        if (!neg) {
            out[1] = FlowSampler.Text.empty(e, true);
        }
        return out;
    }

    /** The text encoder's request parameter for token states as well as the pooled embedding. */
    static final String TOKEN_STATES = "token_states";

    /** The anchor picture at the native size, in [-1, 1]. */
    private static float[] anchor(EffectContext context, String spec, int[] size) throws EffectException, InterruptedException {
        String[] parts = anchorParts(spec);
        double seconds = Double.parseDouble(parts[1]);
        long target = Math.round(seconds * context.profile().frameRate().fps());
        try (FrameSource src = context.clips().open(parts[0], size[0], size[1])) {
            VideoFrame f = null;
            for (long i = 0; i <= target; i++) {
                VideoFrame next = src.next();
                if (next == null) {
                    throw new EffectException(ID + ": parameter 'anchor': clip " + parts[0] + " ends before " + parts[1] + " s");
                }
                f = next;
            }
            ByteBuffer rgb = f.rgb().duplicate().rewind();
            float[] out = new float[size[0] * size[1] * 3];
            for (int i = 0; i < out.length; i++) {
                out[i] = (rgb.get(i) & 0xff) / 127.5f - 1f;
            }
            return out;
        } catch (MediaException e) {
            throw new EffectException(ID + ": parameter 'anchor': clip " + parts[0] + ": " + e.getMessage(), e);
        }
    }
}

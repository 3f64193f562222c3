package org.kinora.inference.internal.t2v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A latent video diffusion transformer (DiT, Peebles &amp; Xie 2023) with full spatio-temporal attention, as the
 * denoisers of HunyuanVideo, Wan and Sora-class systems are built, cut down to train on a CPU.
 *
 * <ul>
 *   <li>Latent: the video's pixels in [-1, 1] ({@code [B, T, H, W, 3]}), cut into spatio-temporal patches of
 *       {@value #PT} frames x {@value #PS} x {@value #PS} pixels; every patch is one token, and every token attends to
 *       every other across space and time (no factorized attention).</li>
 *   <li>Position: fixed sinusoidal codes of each token's frame, row and column index, so one network takes any grid:
 *       16:9, 9:16, 1:1 and 4:3 buckets at their native sizes (multi-resolution training, never stretched or cropped).
 *       A second set of row and column codes is shifted per frame group by an offset the network reads from the prompt
 *       ({@link #movingCodes}): adaLN can scale and shift a token's features but cannot translate a picture, and
 *       without these codes a net this small never learned to put a "moving left" object further left in later
 *       frames; with them, a thing drawn at a fixed place of the moving codes travels as the prompt says.</li>
 *   <li>Conditioning: the timestep and the pooled prompt embedding modulate every block (adaLN-Zero), per group of
 *       {@value #PT} frames: each group's modulation also gets a small MLP of the pooled prompt and the group's frame
 *       code, so what a prompt says of a moment ("moving left": where the object is by then) reaches that moment's tokens
 *       directly. Every block reads the prompt by cross-attention over its text encoder's token states (one key per
 *       word piece, padding masked out), as HunyuanVideo and Wan read their T5/LLM tokens, next to {@value
 *       #TEXT_TOKENS} tokens made of the pooled embedding (which are always there, so an empty prompt still has keys to
 *       attend to). An optional anchor frame (its patches next to every token's, and a flag) keeps the look and subject
 *       of a given picture.</li>
 *   <li>Output: the clean clip, same shape as the latent ("x-prediction"). In pixel space with large patches a network
 *       predicting the clip does far better than one predicting noise or velocity, since clean pictures lie on a
 *       low-dimensional manifold and noise does not (Li &amp; He 2025, "Back to Basics: Let Denoising Generative Models
 *       Denoise"); the flow-matching velocity the sampler needs follows from it ({@link #velocity}).</li>
 *   <li>Pixel refiner: the tokens give a coarse clean clip and {@value #FEATURES} feature channels per pixel, and a few
 *       3x3 convolutions per frame, modulated by the conditioning, correct the coarse clip from those and the noisy
 *       input ({@link #refine}).</li>
 * </ul>
 *
 * Outputs: the clean clip {@code [B, T, H, W, 3]}, and the offsets of the moving codes {@code [B, T / PT, 2]} (rows,
 * columns, in patches), which training also fits to the world's own motion.
 *
 * <p>Inputs, in order: {@code latent [B, T, H, W, 3]}, {@code t [B]} in [0, 1], {@code text [B, E]} (E = the text encoder's
 * width), {@code tokens [B, L, E]} (the encoder's token states, L >= 1), {@code tokenMask [B, L]} (1 = a word piece, 0 =
 * padding; all 0 for the empty prompt), {@code anchor [B, H, W, 3]} in [-1, 1], {@code anchorFlag [B]} (1 = use the
 * anchor). T must be a multiple of {@value #PT}; H and W multiples of {@value #PS}.
 */
public final class Dit extends AbstractBlock {

    /** Frames per patch. */
    public static final int PT = 2;
    /** Pixels per patch side. */
    public static final int PS = 4;
    /** Values in one patch. */
    static final int PATCH = PT * PS * PS * 3;
    /** Text tokens made of the prompt embedding. */
    static final int TEXT_TOKENS = 4;
    /** Frequencies of the timestep code. */
    static final int TIME_FREQS = 32;
    /** Frequencies of the frame code of the per-frame prompt conditioning. */
    static final int FRAME_FREQS = 8;
    /** Channels per pixel the transformer hands the pixel refiner beside its coarse clean clip. */
    static final int FEATURES = 5;
    /** Channels of the pixel refiner's hidden layers. */
    static final int REFINE = 16;

    /** The sizes of a network; {@link #DEFAULT} is the built-in model's. */
    public record Config(int width, int depth, int heads, int textWidth) {
        public static final Config DEFAULT = new Config(96, 4, 4, 384);
    }

    private final Config config;
    private final Dense in;
    private final Dense time1;
    private final Dense time2;
    private final Dense textPooled;
    private final Dense textTokens;
    private final Dense tokenIn;
    private final List<Layer> layers = new ArrayList<>();
    private final Dense finalAda;
    private final Dense out;
    private final Dense frameText1;
    private final Dense frameText2;
    private final Dense motion1;
    private final Dense motion2;
    private final Dense movingPositions;
    private final Conv3 refine1;
    private final Conv3 refine2;
    private final Conv3 refine3;
    private final Dense refineFilm1;
    private final Dense refineFilm2;

    /** One transformer block's layers. */
    private record Layer(Dense ada, Dense qkv, Dense proj, Dense q, Dense kv, Dense crossProj, Dense mlp1, Dense mlp2) {
    }

    public Dit(Config config) {
        super((byte) 1);
        this.config = config;
        int d = config.width();
        in = addChildBlock("in", new Dense(2 * PATCH + 1, d));
        time1 = addChildBlock("time1", new Dense(2 * TIME_FREQS, d));
        time2 = addChildBlock("time2", new Dense(d, d));
        textPooled = addChildBlock("textPooled", new Dense(config.textWidth(), d));
        textTokens = addChildBlock("textTokens", new Dense(config.textWidth(), TEXT_TOKENS * d));
        tokenIn = addChildBlock("tokenIn", new Dense(config.textWidth(), d));
        for (int i = 0; i < config.depth(); i++) {
            layers.add(new Layer(addChildBlock("ada" + i, new Dense(d, 9 * d, true)), addChildBlock("qkv" + i, new Dense(d, 3 * d)),
                    addChildBlock("proj" + i, new Dense(d, d)), addChildBlock("q" + i, new Dense(d, d)),
                    addChildBlock("kv" + i, new Dense(d, 2 * d)), addChildBlock("crossProj" + i, new Dense(d, d)),
                    addChildBlock("mlp1_" + i, new Dense(d, 4 * d)), addChildBlock("mlp2_" + i, new Dense(4 * d, d))));
        }
        finalAda = addChildBlock("finalAda", new Dense(d, 2 * d, true));
        out = addChildBlock("out", new Dense(d, PT * PS * PS * (3 + FEATURES), true));
        frameText1 = addChildBlock("frameText1", new Dense(config.textWidth() + 2 * FRAME_FREQS, d));
        frameText2 = addChildBlock("frameText2", new Dense(d, d, true));
        motion1 = addChildBlock("motion1", new Dense(config.textWidth(), d));
        motion2 = addChildBlock("motion2", new Dense(d, 2, true));
        movingPositions = addChildBlock("movingPositions", new Dense(d - d / 4, d));
        refine1 = addChildBlock("refine1", new Conv3(3 + FEATURES + 3, REFINE, false));
        refine2 = addChildBlock("refine2", new Conv3(REFINE, REFINE, false));
        refine3 = addChildBlock("refine3", new Conv3(REFINE, 3, true));
        refineFilm1 = addChildBlock("refineFilm1", new Dense(d, 2 * REFINE, true));
        refineFilm2 = addChildBlock("refineFilm2", new Dense(d, 2 * REFINE, true));
    }

    public Config config() {
        return config;
    }

    /**
     * Sets the adaLN-Zero modulations, the output projection and the pixel refiner's modulations and last convolution to
     * zero, so the untrained network is the identity path.
     */
    public void zeroInit() {
        for (Block b : getChildren().values()) {
            ((ZeroableLayer) b).zeroIfMarked();
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray latent = inputs.get(0);
        NDArray t = inputs.get(1);
        NDArray text = inputs.get(2);
        NDArray words = inputs.get(3);
        NDArray wordMask = inputs.get(4);
        NDArray anchor = inputs.get(5);
        NDArray flag = inputs.get(6);
        Shape s = latent.getShape();
        long b = s.get(0);
        long frames = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        long gt = frames / PT;
        long gh = h / PS;
        long gw = w / PS;
        long n = gt * gh * gw;
        int d = config.width();

        NDArray tokens = patchify(latent);
        NDArray anchorFrames = anchor.expandDims(1).repeat(1, frames);
        NDArray anchorTokens = patchify(anchorFrames).mul(flag.reshape(b, 1, 1));
        NDArray flags = flag.reshape(b, 1, 1).broadcast(b, n, 1);
        NDArray x = in.apply(ps, NDArrays.concat(new NDList(tokens, anchorTokens, flags), 2), training);
        x = x.add(positions(latent.getManager(), gt, gh, gw, d).expandDims(0));

        NDArray time = time2.apply(ps, silu(time1.apply(ps, timeCode(t), training)), training).expandDims(1);
        // per frame group: what the prompt says of that moment (where a moving object is by then), [B, GT, D]
        NDArray frameIn = NDArrays.concat(new NDList(text.expandDims(1).repeat(1, gt),
                frameCodes(latent.getManager(), gt).expandDims(0).repeat(0, b)), 2);
        NDArray frameText = silu(frameText1.apply(ps, frameIn, training));
        NDArray cFrames = time.add(textPooled.apply(ps, text, training).expandDims(1))
                .add(frameText2.apply(ps, frameText, training));
        // a second set of row and column codes that travel with the prompt's motion: a velocity (patches per frame
        // group) read from the prompt gives each group an offset from the clip's middle; a blob drawn at a fixed place of
        // these codes moves as the prompt says
        NDArray velocity = motion2.apply(ps, silu(motion1.apply(ps, text, training)), training);
        NDArray groupsFromMiddle = latent.getManager().arange((float) gt).sub((gt - 1) / 2f).reshape(1, gt, 1);
        NDArray offset = velocity.expandDims(1).mul(groupsFromMiddle);
        // the motion head learns from the motion loss alone: the pixels' loss, hundreds of times larger, drowned it (in
        // 2000 steps with both it told "left" from "right" by a tenth of a patch per group against 1.2)
        x = x.add(movingPositions.apply(ps, movingCodes(offset.stopGradient(), gt, gh, gw, d), training));
        NDArray cAct = silu(cFrames);
        long hw = gh * gw;
        // keys: the pooled prompt's tokens, then the word pieces' states (normalized: MiniLM's states are not unit scale)
        NDArray txt = NDArrays.concat(new NDList(textTokens.apply(ps, text, training).reshape(b, TEXT_TOKENS, d),
                tokenIn.apply(ps, norm(words), training)), 1);
        long keys = txt.getShape().get(1);
        NDArray keyMask = NDArrays.concat(new NDList(wordMask.getManager().ones(new Shape(b, TEXT_TOKENS)), wordMask), 1);
        // padding gets a large negative logit, so softmax gives it no weight
        NDArray keyBias = keyMask.sub(1f).mul(1e4f).reshape(b, 1, 1, keys);

        for (Layer l : layers) {
            // [B, GT, 9, 1, D]: each frame group's tokens get their group's modulation
            NDArray ada = l.ada().apply(ps, cAct, training).reshape(b, gt, 9, 1, d);
            NDArray h1 = modulate(norm(x), ada, 0, hw);
            x = x.add(gate(selfAttention(ps, l, h1, training), ada, 2, hw));
            NDArray h2 = modulate(norm(x), ada, 3, hw);
            x = x.add(gate(crossAttention(ps, l, h2, txt, keyBias, training), ada, 5, hw));
            NDArray h3 = modulate(norm(x), ada, 6, hw);
            NDArray mlp = l.mlp2().apply(ps, Activation.gelu(l.mlp1().apply(ps, h3, training)), training);
            x = x.add(gate(mlp, ada, 8, hw));
        }
        NDArray fin = finalAda.apply(ps, cAct, training).reshape(b, gt, 2, 1, d);
        NDArray v = out.apply(ps, modulate(norm(x), fin, 0, hw), training);
        NDArray pixels = unpatchify(v, b, frames, h, w, 3 + FEATURES);
        return new NDList(refine(ps, pixels, latent, cAct, training), offset);
    }

    /**
     * The clean clip from the transformer's per-pixel output ({@code [B, T, H, W, 3 + FEATURES]}: a coarse clean clip and
     * features) and the noisy input: a few 3x3 convolutions per frame, modulated by each frame group's conditioning (FiLM),
     * add a correction to the coarse clip. A token is 4 x 4 pixels and its pixels come out of one linear map, so the
     * transformer alone drew ragged outlines and left seams at the patch edges; the convolutions see across patch edges
     * and the input's own pixels, as the decoders after the latent of HunyuanVideo and Wan draw the fine detail. The last
     * convolution starts at zero.
     */
    private NDArray refine(ParameterStore ps, NDArray pixels, NDArray latent, NDArray cAct, boolean training) {
        Shape s = latent.getShape();
        long b = s.get(0);
        long frames = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray coarse = pixels.get(":, :, :, :, 0:3");
        NDArray in = NDArrays.concat(new NDList(pixels, latent), 4).reshape(b * frames, h, w, 3 + FEATURES + 3).transpose(0, 3, 1, 2);
        NDArray r = silu(film(refineFilm1.apply(ps, cAct, training), refine1.apply(ps, in, training), b, frames));
        r = silu(film(refineFilm2.apply(ps, cAct, training), refine2.apply(ps, r, training), b, frames));
        NDArray correction = refine3.apply(ps, r, training).transpose(0, 2, 3, 1).reshape(b, frames, h, w, 3);
        return coarse.add(correction);
    }

    /** {@code x * (1 + scale) + shift} per frame, from a frame group's {@code film [B, GT, 2C]} on {@code x [B * T, C, H, W]}. */
    private static NDArray film(NDArray film, NDArray x, long b, long frames) {
        long c = x.getShape().get(1);
        NDArray perFrame = film.expandDims(2).repeat(2, PT).reshape(b * frames, 2 * c, 1, 1);
        return x.mul(perFrame.get(":, " + c + ":").add(1f)).add(perFrame.get(":, 0:" + c));
    }

    /** Smallest t the velocity divides by: near t = 0 the clip is almost clean and the division would blow up. */
    static final float MIN_T = 0.05f;

    /**
     * The rectified-flow velocity {@code (x_t - x0) / t} implied by a predicted clean clip ({@code x_t = (1 - t) x0 + t
     * noise}, so {@code noise - x0 = (x_t - x0) / t}).
     */
    public static NDArray velocity(NDArray xt, NDArray x0, NDArray t) {
        long b = t.getShape().get(0);
        return xt.sub(x0).div(t.maximum(MIN_T).reshape(b, 1, 1, 1, 1));
    }

    /** SiLU, {@code x * sigmoid(x)}. */
    private static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /**
     * {@code x * (1 + scale) + shift} with shift at {@code ada[:, :, at]} and scale at {@code ada[:, :, at + 1]}, per frame
     * group: x {@code [B, GT * HW, D]}, ada {@code [B, GT, K, 1, D]}.
     */
    private static NDArray modulate(NDArray x, NDArray ada, int at, long hw) {
        Shape s = x.getShape();
        NDArray g = x.reshape(s.get(0), -1, hw, s.get(2));
        return g.mul(ada.get(":, :, " + (at + 1)).add(1f)).add(ada.get(":, :, " + at)).reshape(s);
    }

    /** {@code x * ada[:, :, at]}, per frame group (the adaLN-Zero gate of a residual branch). */
    private static NDArray gate(NDArray x, NDArray ada, int at, long hw) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), -1, hw, s.get(2)).mul(ada.get(":, :, " + at)).reshape(s);
    }

    /** Layer norm over the last axis without its own scale and shift (adaLN supplies them). */
    private static NDArray norm(NDArray x) {
        NDArray mean = x.mean(new int[] {-1}, true);
        NDArray centered = x.sub(mean);
        NDArray var = centered.square().mean(new int[] {-1}, true);
        return centered.div(var.add(1e-6f).sqrt());
    }

    private NDArray selfAttention(ParameterStore ps, Layer l, NDArray x, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long n = s.get(1);
        int d = config.width();
        int heads = config.heads();
        NDArray qkv = l.qkv().apply(ps, x, training).reshape(b, n, 3, heads, d / heads).transpose(2, 0, 3, 1, 4);
        NDArray att = attend(qkv.get(0), qkv.get(1), qkv.get(2), null);
        return l.proj().apply(ps, att.transpose(0, 2, 1, 3).reshape(b, n, d), training);
    }

    private NDArray crossAttention(ParameterStore ps, Layer l, NDArray x, NDArray txt, NDArray keyBias, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long n = s.get(1);
        int d = config.width();
        int heads = config.heads();
        NDArray q = l.q().apply(ps, x, training).reshape(b, n, heads, d / heads).transpose(0, 2, 1, 3);
        long keys = txt.getShape().get(1);
        NDArray kv = l.kv().apply(ps, txt, training).reshape(b, keys, 2, heads, d / heads).transpose(2, 0, 3, 1, 4);
        NDArray att = attend(q, kv.get(0), kv.get(1), keyBias);
        return l.crossProj().apply(ps, att.transpose(0, 2, 1, 3).reshape(b, n, d), training);
    }

    /** Scaled dot-product attention over the last two axes: {@code softmax(q k^T / sqrt(dh) + bias) v}; bias may be null. */
    private static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray bias) {
        float scale = (float) (1 / Math.sqrt(q.getShape().get(q.getShape().dimension() - 1)));
        NDArray logits = q.matMul(k.swapAxes(-1, -2)).mul(scale);
        return (bias == null ? logits : logits.add(bias)).softmax(-1).matMul(v);
    }

    /** {@code [B, T, H, W, 3]} to {@code [B, N, PATCH]}, tokens in (frame, row, column) order. */
    static NDArray patchify(NDArray x) {
        Shape s = x.getShape();
        long b = s.get(0);
        long gt = s.get(1) / PT;
        long gh = s.get(2) / PS;
        long gw = s.get(3) / PS;
        return x.reshape(b, gt, PT, gh, PS, gw, PS, 3).transpose(0, 1, 3, 5, 2, 4, 6, 7).reshape(b, gt * gh * gw, PATCH);
    }

    /** {@code [B, N, PT * PS * PS * channels]} to {@code [B, T, H, W, channels]}, as {@link #patchify} cut them. */
    static NDArray unpatchify(NDArray tokens, long b, long frames, long h, long w, int channels) {
        long gt = frames / PT;
        long gh = h / PS;
        long gw = w / PS;
        return tokens.reshape(b, gt, gh, gw, PT, PS, PS, channels).transpose(0, 1, 4, 2, 5, 3, 6, 7).reshape(b, frames, h, w, channels);
    }

    /** Position codes per grid: they are the same for every call of a sampling run, so they are computed once. */
    private static final java.util.Map<List<Long>, float[]> POSITIONS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Sinusoidal codes of each token's frame, row and column ({@code width} split 1/4, 3/8, 3/8), {@code [N, width]}. */
    static NDArray positions(NDManager manager, long gt, long gh, long gw, int width) {
        float[] p = POSITIONS.computeIfAbsent(List.of(gt, gh, gw, (long) width), k -> positionCodes(gt, gh, gw, width));
        return manager.create(p, new Shape(gt * gh * gw, width));
    }

    private static float[] positionCodes(long gt, long gh, long gw, int width) {
        int dt = width / 4;
        int dy = (width - dt) / 2;
        int dx = width - dt - dy;
        float[] p = new float[(int) (gt * gh * gw) * width];
        int i = 0;
        for (int f = 0; f < gt; f++) {
            for (int y = 0; y < gh; y++) {
                for (int x = 0; x < gw; x++) {
                    int o = i * width;
                    code(p, o, dt, f);
                    code(p, o + dt, dy, y);
                    code(p, o + dt + dy, dx, x);
                    i++;
                }
            }
        }
        return p;
    }

    private static void code(float[] p, int at, int dims, int pos) {
        int half = dims / 2;
        for (int k = 0; k < half; k++) {
            double freq = Math.pow(100, -k / (double) half);
            p[at + 2 * k] = (float) Math.sin(pos * freq);
            p[at + 2 * k + 1] = (float) Math.cos(pos * freq);
        }
    }

    /**
     * Row and column codes (as {@link #positions}, without the frame's) of a grid shifted per frame group by {@code
     * offset} ({@code [B, GT, 2]}: rows, columns, in patches): {@code [B, N, width - width / 4]}. Differentiable in the
     * offset.
     */
    static NDArray movingCodes(NDArray offset, long gt, long gh, long gw, int width) {
        int dt = width / 4;
        int dy = (width - dt) / 2;
        int dx = width - dt - dy;
        NDManager m = offset.getManager();
        long b = offset.getShape().get(0);
        NDArray rows = m.arange((float) gh).reshape(1, 1, gh, 1).sub(offset.get(":, :, 0:1").expandDims(3));
        NDArray cols = m.arange((float) gw).reshape(1, 1, gw, 1).sub(offset.get(":, :, 1:2").expandDims(3));
        NDArray yc = sinusoids(rows, dy).expandDims(3).repeat(3, gw);
        NDArray xc = sinusoids(cols, dx).expandDims(2).repeat(2, gh);
        return NDArrays.concat(new NDList(yc, xc), 4).reshape(b, gt * gh * gw, dy + dx);
    }

    /** {@code [..., 1]} positions to {@code [..., dims]} codes, sin and cos interleaved as {@link #code} makes them. */
    private static NDArray sinusoids(NDArray pos, int dims) {
        int half = dims / 2;
        float[] freq = new float[half];
        for (int k = 0; k < half; k++) {
            freq[k] = (float) Math.pow(100, -k / (double) half);
        }
        NDArray args = pos.mul(pos.getManager().create(freq));
        Shape s = args.getShape();
        return NDArrays.stack(new NDList(args.sin(), args.cos()), s.dimension()).reshape(s.slice(0, s.dimension() - 1).add(dims));
    }

    /** Sinusoidal codes of the frame groups 0..gt-1, {@code [GT, 2 * FRAME_FREQS]}. */
    static NDArray frameCodes(NDManager manager, long gt) {
        float[] p = new float[(int) gt * 2 * FRAME_FREQS];
        for (int g = 0; g < gt; g++) {
            code(p, g * 2 * FRAME_FREQS, 2 * FRAME_FREQS, g);
        }
        return manager.create(p, new Shape(gt, 2 * FRAME_FREQS));
    }

    /** Sinusoidal code of the timestep (t in [0, 1] scaled to 0..1000), {@code [B, 2 * TIME_FREQS]}. */
    static NDArray timeCode(NDArray t) {
        NDManager m = t.getManager();
        float[] f = new float[TIME_FREQS];
        for (int k = 0; k < TIME_FREQS; k++) {
            f[k] = (float) Math.pow(10000, -k / (double) TIME_FREQS);
        }
        NDArray args = t.mul(1000f).reshape(-1, 1).mul(m.create(f).reshape(1, TIME_FREQS));
        return NDArrays.concat(new NDList(args.sin(), args.cos()), 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape latent = inputShapes[0];
        return new Shape[] {latent, new Shape(latent.get(0), latent.get(1) / PT, 2)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Block b : getChildren().values()) {
            b.initialize(manager, dataType, ((ZeroableLayer) b).sampleInput());
        }
    }
}

package org.kinora.inference.internal.t2v;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.kinora.core.inference.InferenceException;
import org.kinora.inference.internal.Gradients;
import org.kinora.inference.internal.onnx.SentenceEncoder;
import org.kinora.samples.world.Captions;
import org.kinora.samples.world.Scene;
import org.kinora.samples.world.World;

/**
 * Trains the built-in {@link Dit} with rectified flow matching (Liu et al. 2022; Esposito/SD3's logit-normal timesteps) on
 * clips of the procedural world ({@link World}), captioned by {@link Captions#train} and embedded with the same
 * all-MiniLM-L6-v2 the service prompts it with. Each step takes one aspect bucket at random. The prompt is dropped 10% of
 * the time (classifier-free guidance learns the unconditional velocity too) and 30% of the clips are given their first
 * frame as the anchor (so the model can continue from a picture, which long clips chain on).
 *
 * <p>The timesteps lean towards noise (logit-normal with location {@link Recipe#timeMean}) and the clean-clip error is
 * weighted {@code 1 / max(t, lossMinT)^2}. With the plain velocity loss (weight {@code 1 / t^2}) a net this small spends
 * itself on the nearly clean timesteps and never learns the noisy ones, where the sampler decides where the one object
 * is and what it looks like: its clean-clip guesses at t = 0.95 passed the noise through, and the sampler drew a
 * speckle of many small objects instead of one.
 *
 * <p>The object's pixels weigh {@code 1 + objectWeight} times as much as the backdrop's ({@link World#coverageInto}
 * says where it is). Everything a prompt says of the object (its colour, shape and motion) lives in a few per cent of
 * the pixels; with all pixels equal, 500 steps on near-pure noise learned only the backdrop's colour, and no object at
 * all. The price is a bias where the object's place is uncertain (the best guess leans to the object's colour there,
 * and the sampler drew objects twice their size), which the unweighted polish that follows removes ({@link
 * Recipe#polish}).
 */
public final class T2vTrainer {

    /**
     * Everything that decides the result.
     *
     * @param timeMean location of the logit-normal timestep distribution (0: centred on t = 0.5; more: noisier)
     * @param lossMinT the clean-clip error is weighted {@code 1 / max(t, lossMinT)^2}
     * @param objectWeight the object's pixels weigh {@code 1 + objectWeight} times as much as the backdrop's
     * @param anchor probability that a clip is given its first frame as the anchor
     * @param polishSteps steps of the {@link #polish} run that follows (0: none)
     */
    public record Recipe(int steps, long seed, int batch, double learningRate, int warmup, Dit.Config net, double timeMean,
                         double lossMinT, double objectWeight, double anchor, int polishSteps) {
        public static final Recipe DEFAULT = new Recipe(5000, 20261121, 12, 6e-4, 150, Dit.Config.DEFAULT, 0.3, 0.4, 8, 0.3, 500);

        /**
         * The run that polishes this one's weights: {@link #polishSteps} steps of fresh clips (seed + 1) at learning rate
         * {@value #POLISH_LEARNING_RATE} with every pixel weighed alike, and {@value #POLISH_ANCHOR} of the clips anchored.
         * The object weighting leaves a bias: where the object's place is uncertain the best guess leans to its colour,
         * and the sampler drew objects nearly twice their size (so large that ClipScorer's backdrop estimate took them for
         * the backdrop). Without the weighting the guess is the plain mean again; by then the net already draws what the
         * prompt names. The weighted run had also loosened the anchor's hold (polished with 0.3 of the clips anchored, an
         * anchored clip's first frame was 7.9 levels from the picture against 9.4 unanchored, and long clips jumped at
         * their joins); the polish anchors more clips.
         */
        public Recipe polish() {
            return new Recipe(polishSteps, seed + 1, batch, POLISH_LEARNING_RATE, warmup, net, timeMean, lossMinT, 0, POLISH_ANCHOR, 0);
        }

        /** Share of the {@link #polish}'s clips given their first frame as the anchor. */
        public static final double POLISH_ANCHOR = 0.6;

        /** Learning rate of the {@link #polish} (warm-up and cosine decay as the run's). */
        public static final double POLISH_LEARNING_RATE = 2e-4;
    }

    /** One logged step; {@code skipped}: its loss or a gradient was not finite, so the weights were not updated. */
    public record Row(int step, float loss, String bucket, double seconds, boolean skipped) {
    }

    /** Probability that a caption is replaced by the empty prompt. */
    static final double DROP_TEXT = 0.1;
    /**
     * Weight of the motion loss: the squared error, in patches, of the offsets the net reads from the prompt against the
     * object's real move from the clip's middle to each frame group (a motion objective beside the pixels', as VideoJAM,
     * Chefer et al. 2025, adds one). Without it the offsets stayed at zero: 1000 steps in, the same for "left" and "right".
     */
    static final double MOTION_LOSS = 0.01;

    static final float CLIP_GRAD = 1f;
    /** Writes the weights every this many steps beside the result (0: never). */
    static final int CHECKPOINT_EVERY = Integer.getInteger("kinora.t2v.checkpoint", 0);
    /** Starts from these weights instead of from scratch (kinora.t2v.init=PARAMS): for a developer's experiments only. */
    static final String INIT = System.getProperty("kinora.t2v.init");

    private T2vTrainer() {
    }

    /**
     * Trains from scratch, then polishes ({@link Recipe#polish}), and writes the parameters (DJL {@code .params}) to {@code
     * save}; the weights before the polish go beside them ({@code -base.params}). The polish's rows are numbered on from
     * the run's last step.
     *
     * @param minilm the sentence encoder's model folder
     */
    public static List<Row> train(Recipe recipe, Path minilm, Path save, Consumer<Row> onStep) throws IOException, InferenceException {
        List<Row> curve = new ArrayList<>(run(recipe, INIT == null ? null : Path.of(INIT), minilm, save, onStep));
        if (recipe.polishSteps() > 0) {
            Path base = save.resolveSibling(save.getFileName().toString().replace(".params", "-base.params"));
            Files.move(save, base, StandardCopyOption.REPLACE_EXISTING);
            for (Row r : run(recipe.polish(), base, minilm, save, r -> onStep.accept(after(recipe, r)))) {
                curve.add(after(recipe, r));
            }
        }
        return curve;
    }

    /** A polish step's row, numbered on from the run's last step. */
    private static Row after(Recipe recipe, Row r) {
        return new Row(recipe.steps() + r.step(), r.loss(), r.bucket(), r.seconds(), r.skipped());
    }

    /** One training run, from {@code init}'s weights or (null) from scratch; writes the weights to {@code save}. */
    private static List<Row> run(Recipe recipe, Path init, Path minilm, Path save, Consumer<Row> onStep) throws IOException,
            InferenceException {
        Engine.getEngine("PyTorch").setRandomSeed((int) recipe.seed());
        Random rnd = new Random(recipe.seed());
        Dit net = new Dit(recipe.net());
        List<Row> curve = new ArrayList<>();
        // every step's clips and captions are drawn first and the captions embedded, then the text encoder is closed:
        // ONNX Runtime's threads are gone before libtorch's start working (the two thread pools side by side made steps
        // come out NaN now and then on a busy machine)
        List<StepPlan> plan = new ArrayList<>(recipe.steps());
        // per caption its pooled embedding and its token states ([L, E] row-major), as the service gives them
        Map<String, float[][]> embeddings = new HashMap<>();
        try (SentenceEncoder text = SentenceEncoder.open(minilm)) {
            for (int step = 1; step <= recipe.steps(); step++) {
                StepPlan p = StepPlan.draw(rnd, recipe.batch(), recipe.timeMean(), recipe.anchor());
                for (String c : p.captions()) {
                    if (c != null && !embeddings.containsKey(c)) {
                        embeddings.put(c, text.embedWithTokens(c));
                    }
                }
                plan.add(p);
            }
        }
        System.out.println("training plan: " + plan.size() + " steps, " + embeddings.size() + " distinct captions embedded");
        try (Model model = Model.newInstance("t2v-train", Device.cpu(), "PyTorch")) {
            model.setBlock(net);
            if (init != null) {
                // loaded before the trainer initializes the block: initialization keeps parameters that have values
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(init)))) {
                    net.loadParameters(model.getNDManager(), in);
                } catch (MalformedModelException ex) {
                    throw new IOException(init + ": " + ex.getMessage(), ex);
                }
            }
            Tracker lr = WarmUpTracker.builder().setMainTracker(Tracker.cosine().setBaseValue((float) recipe.learningRate())
                            .optFinalValue((float) recipe.learningRate() / 10).setMaxUpdates(recipe.steps()).build())
                    .optWarmUpSteps(recipe.warmup()).optWarmUpBeginValue(0f).build();
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Adam.builder().optLearningRateTracker(lr).optClipGrad(CLIP_GRAD).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                Buckets.Bucket b0 = Buckets.ALL.get(0);
                int e = recipe.net().textWidth();
                trainer.initialize(new Shape(1, Buckets.FRAMES, b0.height(), b0.width(), 3), new Shape(1), new Shape(1, e),
                        new Shape(1, 1, e), new Shape(1, 1), new Shape(1, b0.height(), b0.width(), 3), new Shape(1));
                if (init == null) {
                    net.zeroInit();
                }
                NDManager root = trainer.getManager();
                for (int step = 1; step <= recipe.steps(); step++) {
                    long t0 = System.nanoTime();
                    StepPlan p = plan.get(step - 1);
                    Buckets.Bucket bucket = p.bucket();
                    try (NDManager scope = root.newSubManager()) {
                        NDList batch = batch(scope, p, embeddings, e);
                        NDArray x0 = batch.get(0);
                        int groups = Buckets.FRAMES / Dit.PT;
                        NDArray t = scope.create(p.times());
                        NDArray noise = scope.randomNormal(x0.getShape());
                        NDArray tb = t.reshape(recipe.batch(), 1, 1, 1, 1);
                        NDArray xt = x0.mul(tb.neg().add(1f)).add(noise.mul(tb));
                        // x0 error weighted 1 / max(t, lossMinT)^2: the velocity loss (weight 1 / t^2) would give the
                        // nearly clean timesteps hundreds of times the weight of the noisy ones, where the picture is composed;
                        // and the object's pixels 1 + objectWeight times the backdrop's
                        NDArray weight = tb.maximum((float) recipe.lossMinT()).square().pow(-1f)
                                .mul(batch.get(6).mul((float) recipe.objectWeight()).add(1f));
                        float loss;
                        boolean skip;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(new NDList(xt, t, batch.get(1), batch.get(2), batch.get(3), batch.get(4),
                                    batch.get(5)));
                            NDArray x0hat = out.get(0);
                            NDArray l = x0hat.sub(x0).square().mul(weight).mean();
                            // the motion the prompt names, fitted to where the object really is in each frame group
                            float[][] motion = p.motion(groups);
                            NDArray off = out.get(1).sub(scope.create(motion[0], new Shape(recipe.batch(), groups, 2)));
                            NDArray mask = scope.create(motion[1], new Shape(recipe.batch(), 1, 1));
                            l = l.add(off.square().mul(mask).mean().mul((float) MOTION_LOSS));
                            loss = l.getFloat();
                            gc.backward(l);
                        }
                        skip = !(Float.isFinite(loss) && Gradients.finite(net));
                        if (!skip) {
                            trainer.step();
                        } else {
                            // an update with a non-finite loss or gradient would make every weight NaN
                            System.out.println("step " + step + ": loss " + loss + " or a gradient not finite (" + bucket.aspect()
                                    + "), step skipped; " + nonFinite(net));
                            Gradients.clear(net);
                        }
                        Row row = new Row(step, loss, bucket.aspect(), (System.nanoTime() - t0) / 1e9, skip);
                        curve.add(row);
                        onStep.accept(row);
                    }
                    if (CHECKPOINT_EVERY > 0 && step % CHECKPOINT_EVERY == 0 && step < recipe.steps()) {
                        // a look at the run so far (kinora.t2v.checkpoint=N): not part of the recipe, the weights are the same
                        Path at = save.resolveSibling(save.getFileName().toString().replace(".params", "-step" + step + ".params"));
                        try (OutputStream os = Files.newOutputStream(at); DataOutputStream out = new DataOutputStream(os)) {
                            net.saveParameters(out);
                        }
                    }
                }
            }
            Files.createDirectories(save.toAbsolutePath().getParent());
            try (OutputStream os = Files.newOutputStream(save); DataOutputStream out = new DataOutputStream(os)) {
                net.saveParameters(out);
            }
        }
        return curve;
    }

    /** The parameters whose gradient is not finite, for the log. */
    static String nonFinite(Dit net) {
        StringBuilder b = new StringBuilder();
        for (var p : net.getParameters()) {
            NDArray g = p.getValue().getArray().getGradient();
            float max = g.abs().max().getFloat();
            boolean nan = g.isNaN().any().getBoolean();
            if (!Float.isFinite(max) || nan) {
                b.append(p.getKey()).append(nan ? "(NaN) " : "(inf) ");
            }
        }
        return b.toString();
    }

    /**
     * What one step trains on, drawn before training: the bucket, the scenes, their captions ({@code null}: the prompt is
     * dropped), which clips get their first frame as anchor, and the timesteps (logit-normal, SD3: more of them in the
     * middle, where the velocity is hardest to tell).
     */
    record StepPlan(Buckets.Bucket bucket, List<Scene> scenes, List<String> captions, boolean[] anchored, float[] times) {

        static StepPlan draw(Random rnd, int n, double timeMean, double anchor) {
            Buckets.Bucket bucket = Buckets.ALL.get(rnd.nextInt(Buckets.ALL.size()));
            List<Scene> scenes = new ArrayList<>(n);
            List<String> captions = new ArrayList<>(n);
            boolean[] anchored = new boolean[n];
            for (int i = 0; i < n; i++) {
                Scene s = World.sample(rnd, Buckets.FRAMES / Buckets.FPS);
                scenes.add(s);
                captions.add(rnd.nextDouble() >= DROP_TEXT ? Captions.train(s, rnd) : null);
                anchored[i] = rnd.nextDouble() < anchor;
            }
            float[] times = new float[n];
            for (int i = 0; i < n; i++) {
                times[i] = (float) (1 / (1 + Math.exp(-(timeMean + rnd.nextGaussian()))));
            }
            return new StepPlan(bucket, scenes, captions, anchored, times);
        }

        /**
         * Per clip and frame group, where the object is in the group's middle against the clip's middle, in patches of
         * the bucket (rows, columns; {@code [n * groups * 2]}), and per clip 1 when it has a caption, 0 when the prompt
         * is dropped (then nothing names a motion).
         */
        float[][] motion(int groups) {
            int n = scenes.size();
            float[] offsets = new float[n * groups * 2];
            float[] named = new float[n];
            double mid = (Buckets.FRAMES - 1) / 2.0 / Buckets.FPS;
            for (int i = 0; i < n; i++) {
                Scene s = scenes.get(i);
                named[i] = captions.get(i) == null ? 0 : 1;
                for (int g = 0; g < groups; g++) {
                    double at = (g * Dit.PT + (Dit.PT - 1) / 2.0) / Buckets.FPS;
                    offsets[(i * groups + g) * 2] = (float) ((s.y(at) - s.y(mid)) * bucket.height() / Dit.PS);
                    offsets[(i * groups + g) * 2 + 1] = (float) ((s.x(at) - s.x(mid)) * bucket.width() / Dit.PS);
                }
            }
            return new float[][] {offsets, named};
        }
    }

    /**
     * A step's clips: latent [B, T, H, W, 3] in [-1, 1], text [B, E], token states [B, L, E] padded to the batch's longest
     * caption (L at least 1), their mask [B, L], anchor [B, H, W, 3], anchor flag [B], the object's coverage [B, T, H, W,
     * 1]. A dropped caption has zero text, no tokens and an all-zero mask, as the sampler's unconditional branch has.
     */
    static NDList batch(NDManager m, StepPlan p, Map<String, float[][]> embeddings, int e) {
        int n = p.scenes().size();
        int w = p.bucket().width();
        int h = p.bucket().height();
        int f = Buckets.FRAMES;
        int frame = w * h * 3;
        byte[] rgb = new byte[n * f * frame];
        float[] embed = new float[n * e];
        int words = 1;
        for (String c : p.captions()) {
            if (c != null) {
                words = Math.max(words, embeddings.get(c)[1].length / e);
            }
        }
        float[] tokens = new float[n * words * e];
        float[] mask = new float[n * words];
        float[] anchor = new float[n * frame];
        float[] flag = new float[n];
        float[] cover = new float[n * f * w * h];
        for (int i = 0; i < n; i++) {
            World.renderInto(p.scenes().get(i), w, h, f, Buckets.FPS, rgb, i * f * frame);
            World.coverageInto(p.scenes().get(i), w, h, f, Buckets.FPS, cover, i * f * w * h);
            String c = p.captions().get(i);
            if (c != null) {
                float[][] enc = embeddings.get(c);
                System.arraycopy(enc[0], 0, embed, i * e, e);
                System.arraycopy(enc[1], 0, tokens, i * words * e, enc[1].length);
                Arrays.fill(mask, i * words, i * words + enc[1].length / e, 1f);
            }
        }
        float[] pixels = new float[rgb.length];
        for (int k = 0; k < rgb.length; k++) {
            pixels[k] = (rgb[k] & 0xff) / 127.5f - 1f;
        }
        for (int i = 0; i < n; i++) {
            if (p.anchored()[i]) {
                flag[i] = 1;
                System.arraycopy(pixels, i * f * frame, anchor, i * frame, frame);
            }
        }
        return new NDList(m.create(pixels, new Shape(n, f, h, w, 3)), m.create(embed, new Shape(n, e)),
                m.create(tokens, new Shape(n, words, e)), m.create(mask, new Shape(n, words)), m.create(anchor, new Shape(n, h, w, 3)),
                m.create(flag), m.create(cover, new Shape(n, f, h, w, 1)));
    }
}

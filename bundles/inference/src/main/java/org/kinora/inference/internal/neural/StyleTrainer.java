package org.kinora.inference.internal.neural;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kinora.inference.internal.Gradients;

/**
 * Trains a {@link StyleNet} with DJL's {@link Trainer} on the CPU: Adam with cosine learning-rate decay and element-wise
 * gradient clipping, a seeded crop sampler, the {@link StyleLoss}
 * computed under a {@link GradientCollector}. Deterministic for a given seed and thread count.
 */
public final class StyleTrainer {

    /** Everything that decides the result. */
    public record Recipe(int steps, long seed, int crop, int batch, double learningRate, StyleLoss.Weights weights,
                         int styleSide) {
    }

    /** One logged step. */
    public record Row(int step, float total, float style, float content, float tv, float[] styleLevels) {
    }

    /** Held-out pictures stylized into {@code dir} every {@code every} steps and at the end (0: at the end only). */
    public record Previews(List<Path> pictures, Path dir, int every) {
        static final Previews NONE = new Previews(List.of(), null, 0);
    }

    /** The result: the trained block (parameters on the CPU) and the loss curve. */
    public record Result(Block block, List<Row> curve) {
    }

    /** Gradients are clipped element-wise to this (one odd crop must not throw the weights far). */
    static final float CLIP_GRAD = 1f;

    private StyleTrainer() {
    }

    /**
     * Trains from scratch.
     *
     * @param style   the style picture
     * @param photos  the content photos
     * @param recipe  steps, seed, sizes and loss weights
     * @param save    where the trained parameters are written (DJL {@code .params})
     * @param onStep  called after every step (progress)
     */
    public static Result train(Path style, List<Path> photos, Recipe recipe, Path save, Consumer<Row> onStep, Previews previews)
            throws IOException {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) recipe.seed());
        List<Row> curve = new ArrayList<>();
        Block net = StyleNet.build();
        try (Model model = Model.newInstance("style-train", Device.cpu(), "PyTorch")) {
            model.setBlock(net);
            // the Trainer wants a Loss; the real loss (StyleLoss) needs the content pictures and is computed below
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Adam.builder().optLearningRateTracker(learningRate(recipe))
                            .optClipGrad(CLIP_GRAD).build())
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(recipe.batch(), 3, recipe.crop(), recipe.crop()));
                zeroLastConv(net);
                NDManager root = trainer.getManager();
                try (RandomFeatures features = new RandomFeatures(root); NDManager data = root.newSubManager()) {
                    NDArray styleImage = fit(ContentCrops.load(data, style), recipe.styleSide());
                    StyleLoss loss = new StyleLoss(features, styleImage, recipe.weights(), data);
                    ContentCrops crops = new ContentCrops(data, photos, recipe.crop(), recipe.seed());
                    for (int step = 1; step <= recipe.steps(); step++) {
                        try (NDManager scope = root.newSubManager()) {
                            long t0 = System.nanoTime();
                            NDArray batch = crops.batch(scope, recipe.batch());
                            StyleLoss.Terms t;
                            long t1;
                            long t2;
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray out = trainer.forward(new NDList(batch)).singletonOrThrow();
                                t = loss.terms(out, batch);
                                t.total().getFloat();
                                t1 = System.nanoTime();
                                gc.backward(t.total());
                            }
                            t2 = System.nanoTime();
                            if (Float.isFinite(t.total().getFloat()) && Gradients.finite(net)) {
                                trainer.step();
                            } else {
                                // a step with a non-finite loss or gradient would make every weight NaN: skipped
                                System.out.println("step " + step + ": loss or gradient not finite, step skipped");
                                Gradients.clear(net);
                            }
                            long t3 = System.nanoTime();
                            if (Boolean.getBoolean("kinora.train.timing")) {
                                System.out.printf("  data+forward %d ms, backward %d ms, update %d ms%n", (t1 - t0) / 1000000,
                                        (t2 - t1) / 1000000, (t3 - t2) / 1000000);
                            }
                            float[] levels = new float[t.styleLevels().size()];
                            for (int i = 0; i < levels.length; i++) {
                                levels[i] = t.styleLevels().get(i).getFloat();
                            }
                            Row row = new Row(step, t.total().getFloat(), t.style().getFloat(), t.content().getFloat(),
                                    t.tv().getFloat(), levels);
                            curve.add(row);
                            onStep.accept(row);
                        }
                        if (step == recipe.steps() || previews.every() > 0 && step % previews.every() == 0) {
                            preview(root, net, previews, step == recipe.steps() ? "" : "-" + step);
                        }
                    }
                }
            }
            Files.createDirectories(save.toAbsolutePath().getParent());
            try (OutputStream os = Files.newOutputStream(save); DataOutputStream out = new DataOutputStream(os)) {
                net.saveParameters(out);
            }
        }
        return new Result(net, curve);
    }

    private static void preview(NDManager root, Block net, Previews previews, String suffix) throws IOException {
        try (Stylizer s = Stylizer.of(root, net)) {
            for (Path p : previews.pictures()) {
                String name = p.getFileName().toString().replaceFirst("\\.[^.]*$", "");
                s.preview(p, previews.dir().resolve(name + "-" + TrainStyle.ID + suffix + ".png"));
            }
        }
    }


    /**
     * Cosine decay from the recipe's rate to 1/20 of it over the run: random crops pull the colours a little this way
     * and that way at every step, and a rate that ends small lets the net settle on one look.
     */
    static Tracker learningRate(Recipe recipe) {
        float lr = (float) recipe.learningRate();
        return Tracker.cosine().setBaseValue(lr).optFinalValue(lr / 20).setMaxUpdates(recipe.steps()).build();
    }

    /** The style picture scaled (area-averaged) so that its longer side is {@code side} pixels. */
    private static NDArray fit(NDArray rgb, int side) {
        long h = rgb.getShape().get(2);
        long w = rgb.getShape().get(3);
        double s = side / (double) Math.max(h, w);
        if (s >= 1) {
            return rgb;
        }
        int nh = (int) Math.round(h * s);
        int nw = (int) Math.round(w * s);
        return ai.djl.modality.cv.util.NDImageUtils.resize(rgb.squeeze(0).transpose(1, 2, 0), nw, nh,
                ai.djl.modality.cv.Image.Interpolation.AREA).transpose(2, 0, 1).expandDims(0);
    }

    /**
     * The last conv starts at zero so that the untrained net is the identity (output = input + 0); its gradient is not
     * zero, so it learns from the first step, and the others from the second.
     */
    private static void zeroLastConv(Block net) {
        Parameter last = null;
        for (var p : net.getParameters()) {
            if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                last = p.getValue();
            }
        }
        if (last != null) {
            last.getArray().muli(0f);
        }
    }
}

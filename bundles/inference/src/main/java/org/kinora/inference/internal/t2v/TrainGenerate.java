package org.kinora.inference.internal.t2v;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.kinora.inference.internal.neural.TrainStyle;

/**
 * {@code kinora train-generate}: retrains the built-in text-to-video model ({@link T2vModel#ID}) on the procedural world,
 * in a plain JVM on the inference module's class path. The defaults are exactly the recipe of the committed weights.
 */
public final class TrainGenerate {

    /** File names of the committed model. */
    public static final String PARAMS = T2vModel.ID + ".params";
    public static final String CARD = T2vModel.ID + ".card.json";
    public static final String CURVE = T2vModel.ID + ".loss.csv";
    static final int THREADS = 2;

    private TrainGenerate() {
    }

    public static void main(String[] args) throws Exception {
        T2vTrainer.Recipe d = T2vTrainer.Recipe.DEFAULT;
        int steps = d.steps();
        long seed = d.seed();
        int batch = d.batch();
        double lr = d.learningRate();
        double timeMean = d.timeMean();
        double lossMinT = d.lossMinT();
        double objectWeight = d.objectWeight();
        int polishSteps = d.polishSteps();
        int threads = THREADS;
        Path out = null;
        Path minilm = Path.of(System.getProperty("user.home"), ".local", "share", "kinora", "models", "minilm-l6-v2");
        String env = System.getenv("KINORA_MODELS");
        if (env != null && !env.isBlank()) {
            minilm = Path.of(env).resolve("minilm-l6-v2");
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    System.out.println("""
                            kinora train-generate --out DIR [--steps N] [--seed N] [--batch N] [--lr X] [--time-mean X] [--loss-min-t X]
                                                 [--object-weight X] [--polish-steps N] [--threads N] [--minilm DIR]
                            Retrains the built-in text-to-video model (a small DiT trained with flow matching) on the procedural
                            world of org.kinora.samples.world, captions embedded with all-MiniLM-L6-v2 (kinora models fetch
                            minilm-l6-v2). Writes %s, %s and %s into DIR. The defaults are the committed recipe:
                            %d steps, seed %d, batch %d, learning rate %s, timesteps logit-normal(%s, 1), clean-clip error
                            weighted 1 / max(t, %s)^2 and the object's pixels 1 + %s times the backdrop's; then %d steps
                            polish the weights at learning rate %s with every pixel weighed alike and more clips anchored;
                            %d threads (about an hour on 2 CPU cores).
                            """.formatted(PARAMS, CARD, CURVE, d.steps(), d.seed(), d.batch(), d.learningRate(), d.timeMean(),
                            d.lossMinT(), d.objectWeight(), d.polishSteps(), T2vTrainer.Recipe.POLISH_LEARNING_RATE, THREADS));
                    return;
                }
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--lr" -> lr = Double.parseDouble(args[++i]);
                case "--time-mean" -> timeMean = Double.parseDouble(args[++i]);
                case "--loss-min-t" -> lossMinT = Double.parseDouble(args[++i]);
                case "--object-weight" -> objectWeight = Double.parseDouble(args[++i]);
                case "--polish-steps" -> polishSteps = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--minilm" -> minilm = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("train-generate: unknown option '" + a + "' (see --help)");
                    System.exit(2);
                }
            }
        }
        if (out == null) {
            System.err.println("train-generate: --out DIR is required (see --help)");
            System.exit(2);
        }
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", String.valueOf(threads));
        T2vTrainer.Recipe recipe = new T2vTrainer.Recipe(steps, seed, batch, lr, d.warmup(), d.net(), timeMean, lossMinT,
                objectWeight, d.anchor(), polishSteps);
        Files.createDirectories(out);
        Path params = out.resolve(PARAMS);
        long t0 = System.nanoTime();
        int total = recipe.steps() + recipe.polishSteps();
        int every = Math.max(1, total / 60);
        double[] window = new double[1];
        int[] count = new int[1];
        List<T2vTrainer.Row> curve = T2vTrainer.train(recipe, minilm, params, row -> {
            window[0] += row.loss();
            count[0]++;
            if (row.step() % every == 0 || row.step() == 1 || row.step() == recipe.steps() || row.step() == total) {
                System.out.printf(Locale.ROOT, "step %5d/%d  loss %.4f (mean of last %d: %.4f)  %s  %.2f s/step  (%.0f s)%n", row.step(),
                        total, row.loss(), count[0], window[0] / count[0], row.bucket(), row.seconds(),
                        (System.nanoTime() - t0) / 1e9);
                window[0] = 0;
                count[0] = 0;
            }
        });
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        StringBuilder csv = new StringBuilder("step,loss,bucket,seconds\n");
        for (T2vTrainer.Row r : curve) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%s,%.3f%n", r.step(), r.loss(), r.bucket(), r.seconds()));
        }
        Files.writeString(out.resolve(CURVE), csv.toString());
        Files.writeString(out.resolve(CARD), card(recipe, params, curve, took, threads));
        System.out.println("wrote " + params + ", " + out.resolve(CARD) + ", " + out.resolve(CURVE) + " in " + took.toSeconds() + " s");
    }

    /** The command-line options that make {@code recipe}. */
    static String options(T2vTrainer.Recipe r) {
        return " --steps " + r.steps() + " --seed " + r.seed() + " --batch " + r.batch() + " --lr " + r.learningRate()
                + " --time-mean " + r.timeMean() + " --loss-min-t " + r.lossMinT() + " --object-weight " + r.objectWeight()
                + " --polish-steps " + r.polishSteps();
    }

    static String card(T2vTrainer.Recipe recipe, Path params, List<T2vTrainer.Row> curve, Duration took, int threads) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = json.createObjectNode();
        o.put("id", T2vModel.ID);
        o.put("task", "text-to-video-denoiser");
        o.put("format", "djl-params");
        o.put("description", "Built-in text-to-video denoiser trained by Kinora: a " + recipe.net().depth() + "-block DiT (width "
                + recipe.net().width() + ", " + recipe.net().heads() + " heads) with full spatio-temporal attention over "
                + Dit.PT + "x" + Dit.PS + "x" + Dit.PS + " pixel patches, position codes plus row and column codes that travel with the "
                + "motion it reads from the prompt, adaLN-Zero conditioning per frame group (its timestep, the pooled prompt, and the "
                + "pooled prompt read at that group's time), cross-attention to the text encoder's token states (and "
                + Dit.TEXT_TOKENS + " tokens of the pooled prompt), an optional anchor frame, and a pixel refiner (3x3 convolutions "
                + "per frame, " + Dit.REFINE + " channels, modulated by the conditioning) that corrects the tokens' coarse clip from "
                + "their features and the noisy input; rectified flow matching. It knows only "
                + "its procedural world: "
                + "a circle, square or triangle of one of six colours, small or large, moving left, right, up or down over one of a "
                + "few backdrops, with a still, panning or zooming camera.");
        ArrayNode files = o.putArray("files");
        files.addObject().put("path", PARAMS).put("sha256", TrainStyle.sha256(params)).put("bytes", Files.size(params));
        o.put("license", "GPL-3.0-or-later");
        o.put("licenseNote", "Kinora's own work, trained on pictures Kinora's own code draws (org.kinora.samples.world).");
        ObjectNode src = o.putObject("source");
        src.put("registry", "built-in");
        src.put("coordinates", "trained by Kinora: ./kinora train-generate" + options(recipe));
        ObjectNode t = o.putObject("training");
        t.put("command", "./kinora train-generate" + options(recipe) + " --out DIR");
        t.put("framework", "DJL 0.35.1 Trainer on PyTorch 2.7.1, CPU, float32");
        t.put("threads", threads);
        t.put("seed", recipe.seed());
        t.put("steps", recipe.steps());
        t.put("batch", recipe.batch());
        t.put("learningRate", recipe.learningRate());
        t.put("warmupSteps", recipe.warmup());
        t.put("timeMean", recipe.timeMean());
        t.put("lossMinT", recipe.lossMinT());
        t.put("objectWeight", recipe.objectWeight());
        T2vTrainer.Recipe polish = recipe.polish();
        t.put("polish", recipe.polishSteps() == 0 ? "none" : polish.steps() + " more steps from the run's weights, seed " + polish.seed()
                + ", learning rate " + polish.learningRate() + " (warm-up and cosine decay), every pixel weighed alike (objectWeight 0), "
                + polish.anchor() + " of the clips anchored; "
                + "the loss curve numbers them on from step " + (recipe.steps() + 1));
        t.put("schedule", "linear warm-up, then cosine decay to a tenth");
        t.put("optimizer", "Adam, gradients clipped element-wise at " + T2vTrainer.CLIP_GRAD);
        t.put("objective", "rectified flow matching, x-prediction: x_t = (1 - t) x0 + t noise, the network predicts x0 (the velocity "
                + "noise - x0 follows from it); mean squared error of x0 weighted 1 / max(t, " + recipe.lossMinT() + ")^2; t ~ "
                + "logit-normal(" + recipe.timeMean() + ", 1); the object's pixels (World.coverageInto) weigh 1 + "
                + recipe.objectWeight() + " times the backdrop's; plus " + T2vTrainer.MOTION_LOSS + " x the squared error of the "
                + "moving codes' offsets (patches) against the object's real move to each frame group");
        t.put("data", "org.kinora.samples.world: World.sample + World.render at the native size of a random aspect bucket "
                + Buckets.ALL + ", " + Buckets.FRAMES + " frames at " + Buckets.FPS + " fps; captions Captions.train (held-out "
                + "paraphrases Captions.heldOut are never trained on); prompt dropped " + T2vTrainer.DROP_TEXT
                + " of the time; the first frame given as anchor " + recipe.anchor() + " of the time (in the polish "
                + polish.anchor() + ")");
        t.put("textEncoder", "all-MiniLM-L6-v2 (quantized ONNX, the minilm-l6-v2 model of the store): its token states (last hidden "
                + "state, [CLS] and [SEP] included) for cross-attention, and their mean, L2-normalized, for adaLN");
        t.put("seconds", took.toSeconds());
        t.put("skippedSteps", curve.stream().filter(T2vTrainer.Row::skipped).count());
        int n = curve.size();
        ArrayNode means = t.putArray("lossMeansPerTenth");
        for (int k = 0; k < 10 && n > 0; k++) {
            int a = k * n / 10;
            int b = Math.max(a + 1, (k + 1) * n / 10);
            double s = 0;
            for (int i = a; i < b; i++) {
                s += curve.get(i).loss();
            }
            means.add(Math.round(s / (b - a) * 10000) / 10000.0);
        }
        o.put("memoryBytes", 256L << 20);
        return json.writeValueAsString(o) + "\n";
    }
}

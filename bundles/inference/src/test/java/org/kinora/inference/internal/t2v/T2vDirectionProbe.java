package org.kinora.inference.internal.t2v;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.kinora.inference.internal.onnx.SentenceEncoder;
import org.kinora.samples.world.Captions;
import org.kinora.samples.world.Direction;
import org.kinora.samples.world.Scene;
import org.kinora.samples.world.World;

/**
 * A developer's look at where a network learns a prompt's direction: {@code T2vDirectionProbe PARAMS N T...} noises N
 * clips of new scenes to each level t, asks the network for the clean clip under the scene's caption (held-out
 * wording, or with {@code -Dtrain=true} the training wording, as {@link T2vScoreProbe} takes it), and prints how far the object moves from the first frame to the last in
 * that guess, along the direction the prompt names, against how far it really moves (frame widths or heights), and how
 * often the guess's motion points the named way. Near t = 1 the clip holds almost nothing of the scene, so what moves
 * there comes from the prompt alone; from t = 0.6 down a net can read the motion off the noisy clip.
 */
public final class T2vDirectionProbe {

    public static void main(String[] args) throws Exception {
        int w = 56;
        int h = 32;
        int f = Buckets.FRAMES;
        int n = Integer.parseInt(args[1]);
        boolean heldOut = !Boolean.getBoolean("train");
        try (T2vModel model = T2vModel.load(Device.cpu(), Files.readAllBytes(Path.of(args[0])));
                SentenceEncoder text = SentenceEncoder.open(Probes.MINILM); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (int a = 2; a < args.length; a++) {
                float t = Float.parseFloat(args[a]);
                Random rnd = new Random(11);
                double truth = 0;
                double guess = 0;
                int agree = 0;
                for (int i = 0; i < n; i++) {
                    Scene s = World.sample(rnd, 1.0);
                    float[][] prompt = text.embedWithTokens(heldOut ? Captions.heldOut(s, rnd) : Captions.train(s, rnd));
                    float[] x0 = Probes.pixels(World.render(s, w, h, f, Buckets.FPS));
                    float[] x0hat = Probes.cleanGuess(model, m, prompt, t, x0, i, w, h, f);
                    Direction d = s.direction();
                    double[] g = travel(x0hat, s, w, h, f);
                    double[] r = travel(x0, s, w, h, f);
                    truth += r[0] * d.dx() + r[1] * d.dy();
                    guess += g[0] * d.dx() + g[1] * d.dy();
                    Direction seen = Math.abs(g[0]) > Math.abs(g[1]) ? (g[0] < 0 ? Direction.LEFT : Direction.RIGHT)
                            : (g[1] < 0 ? Direction.UP : Direction.DOWN);
                    agree += seen == d ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "t = %.2f, %d %s prompts: travel along the named direction %.3f (the clips: %.3f),"
                        + " motion points the named way %.2f (chance 0.25)%n", t, n, heldOut ? "held-out" : "training-wording",
                        guess / n, truth / n, agree / (double) n);
            }
        }
    }

    /** The object's move from the first frame to the last (fractions of the frame), by centroids of its colour. */
    static double[] travel(float[] clip, Scene s, int w, int h, int f) {
        double[] a = centroid(clip, s, 0, w, h);
        double[] b = centroid(clip, s, f - 1, w, h);
        return new double[] {b[0] - a[0], b[1] - a[1]};
    }

    /** Centroid of the frame's pixels weighted by how near each is to the object's colour. */
    static double[] centroid(float[] clip, Scene s, int frame, int w, int h) {
        float r = s.hue().r() / 127.5f - 1;
        float g = s.hue().g() / 127.5f - 1;
        float b = s.hue().b() / 127.5f - 1;
        double sum = 0;
        double sx = 0;
        double sy = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = ((frame * h + y) * w + x) * 3;
                double d2 = (clip[o] - r) * (clip[o] - r) + (clip[o + 1] - g) * (clip[o + 1] - g) + (clip[o + 2] - b) * (clip[o + 2] - b);
                double weight = Math.exp(-d2 / 0.1);
                sum += weight;
                sx += weight * (x + 0.5) / w;
                sy += weight * (y + 0.5) / h;
            }
        }
        return new double[] {sx / sum, sy / sum};
    }
}

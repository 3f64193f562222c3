package org.kinora.inference.internal.t2v;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.kinora.inference.internal.onnx.SentenceEncoder;
import org.kinora.samples.world.Captions;
import org.kinora.samples.world.ClipScorer;
import org.kinora.samples.world.Scene;
import org.kinora.samples.world.World;

/**
 * A developer's quick score of a training run: {@code T2vScoreProbe PARAMS N GUIDANCE...} samples N held-out prompts
 * (Euler, 20 steps, the 16:9 bucket, straight on the network) at each guidance scale and prints how often {@link
 * ClipScorer} reads back the prompt's colour, shape and direction. The real measurement is the integration test
 * GenerateMeasureTest, through the effect and the command line.
 */
public final class T2vScoreProbe {

    public static void main(String[] args) throws Exception {
        Path minilm = Probes.MINILM;
        int n = Integer.parseInt(args[1]);
        int w = 56;
        int h = 32;
        int f = Buckets.FRAMES;
        try (T2vModel model = T2vModel.load(Device.cpu(), Files.readAllBytes(Path.of(args[0])));
                SentenceEncoder text = SentenceEncoder.open(minilm); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (int g = 2; g < args.length; g++) {
                float guidance = Float.parseFloat(args[g]);
                Random rnd = new Random(20261121);
                int hue = 0;
                int shape = 0;
                int dir = 0;
                int found = 0;
                for (int i = 0; i < n; i++) {
                    Scene s = World.sample(rnd, 1.0);
                    String prompt = Boolean.getBoolean("train") ? Captions.train(s, rnd) : Captions.heldOut(s, rnd);
                    float[] x = T2vFilmstrip.sample(model, m, text.embedWithTokens(prompt), 1000 + i, guidance, w, h);
                    byte[] rgb = new byte[x.length];
                    for (int k = 0; k < x.length; k++) {
                        rgb[k] = (byte) Math.max(0, Math.min(255, Math.round((x[k] + 1) * 127.5f)));
                    }
                    ClipScorer.Reading r = ClipScorer.read(rgb, w, h, f);
                    if (Boolean.getBoolean("verbose")) {
                        System.out.printf(Locale.ROOT, "  \"%s\": read %s %s %s (wanted %s %s %s): %s%n", prompt, r.hue(), r.shape(),
                                r.direction(), s.hue(), s.shape(), s.direction(), r.why());
                    }
                    found += r.hue() != null ? 1 : 0;
                    hue += r.hue() == s.hue() ? 1 : 0;
                    shape += r.shape() == s.shape() ? 1 : 0;
                    dir += r.direction() == s.direction() ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "guidance %.1f: %d prompts, object found %.2f, colour %.2f, shape %.2f, direction %.2f%n",
                        guidance, n, found / (double) n, hue / (double) n, shape / (double) n, dir / (double) n);
            }
        }
    }
}

package org.kinora.inference.internal.t2v;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.kinora.inference.internal.onnx.SentenceEncoder;

/**
 * A developer's look at a training run: {@code T2vFilmstrip PARAMS OUT.png "prompt" ...} samples each prompt (Euler, 20
 * steps, guidance 4, the 16:9 bucket) straight on the network and writes the frames side by side, one row per prompt.
 */
public final class T2vFilmstrip {

    static final float GUIDANCE = Float.parseFloat(System.getProperty("guidance", "4"));

    public static void main(String[] args) throws Exception {
        Path minilm = Probes.MINILM;
        try (T2vModel model = T2vModel.load(Device.cpu(), Files.readAllBytes(Path.of(args[0])));
                SentenceEncoder text = SentenceEncoder.open(minilm); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int w = 56;
            int h = 32;
            int f = Buckets.FRAMES;
            int rows = args.length - 2;
            BufferedImage sheet = new BufferedImage(w * f * 3, h * 3 * rows, BufferedImage.TYPE_INT_RGB);
            for (int r = 0; r < rows; r++) {
                float[] x = sample(model, m, text.embedWithTokens(args[r + 2]), 7 + r, GUIDANCE, w, h);
                for (int fr = 0; fr < f; fr++) {
                    for (int y = 0; y < h * 3; y++) {
                        for (int xx = 0; xx < w * 3; xx++) {
                            int o = ((fr * h + y / 3) * w + xx / 3) * 3;
                            int rgb = 0;
                            for (int c = 0; c < 3; c++) {
                                rgb = rgb << 8 | Math.max(0, Math.min(255, Math.round((x[o + c] + 1) * 127.5f)));
                            }
                            sheet.setRGB(fr * w * 3 + xx, r * h * 3 + y, rgb);
                        }
                    }
                }
            }
            ImageIO.write(sheet, "png", Path.of(args[1]).toFile());
        }
    }

    /**
     * One clip sampled straight on the network: Euler, 20 steps on the sampler's shifted grid, classifier-free guidance
     * against the empty prompt, no anchor; {@code [T, H, W, 3]} in [-1, 1].
     */
    static float[] sample(T2vModel model, NDManager m, float[][] prompt, long seed, float guidance, int w, int h) throws Exception {
        float[] embedding = prompt[0];
        int f = Buckets.FRAMES;
        Random rnd = new Random(seed);
        float[] x = new float[f * h * w * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        int steps = 20;
        int e = embedding.length;
        for (int s = 0; s < steps; s++) {
            double u = 1 - s / (double) steps;
            double t = 2 * u / (1 + u);
            double u2 = 1 - (s + 1) / (double) steps;
            double t2 = 2 * u2 / (1 + u2);
            float[] two = new float[2 * x.length];
            System.arraycopy(x, 0, two, 0, x.length);
            System.arraycopy(x, 0, two, x.length, x.length);
            float[] te = new float[2 * e];
            System.arraycopy(embedding, 0, te, 0, e);
            int words = prompt[1].length / e;
            float[] tokens = new float[2 * words * e];
            System.arraycopy(prompt[1], 0, tokens, 0, prompt[1].length);
            float[] mask = new float[2 * words];
            java.util.Arrays.fill(mask, 0, words, 1f);
            float[] vv;
            // each step's arrays (inputs and the network's intermediates) are freed with its sub-manager
            try (NDManager sm = m.newSubManager()) {
                NDList in = new NDList(sm.create(two, new Shape(2, f, h, w, 3)), sm.create(new float[] {(float) t, (float) t}),
                        sm.create(te, new Shape(2, e)), sm.create(tokens, new Shape(2, words, e)), sm.create(mask, new Shape(2, words)),
                        sm.zeros(new Shape(2, h, w, 3)), sm.zeros(new Shape(2)));
                vv = model.velocity(in).toFloatArray();
            }
            for (int i = 0; i < x.length; i++) {
                float g = vv[x.length + i] + guidance * (vv[i] - vv[x.length + i]);
                x[i] += (float) ((t2 - t) * g);
            }
        }
        return x;
    }
}

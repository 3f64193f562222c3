package org.kinora.inference.internal.t2v;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.kinora.inference.internal.onnx.SentenceEncoder;
import org.kinora.samples.world.Captions;
import org.kinora.samples.world.ClipScorer;
import org.kinora.samples.world.Scene;
import org.kinora.samples.world.World;

/**
 * A developer's look at one-step denoising: {@code T2vDenoiseProbe PARAMS OUT.png [scenes]} renders held-out scenes,
 * noises them at several t and writes, per scene and t, the noisy first frame and the predicted clean first and last
 * frames; it prints the clean-clip error per t (pixels in [-1, 1]) and how often {@link ClipScorer} reads the scene's shape
 * in the predicted clean clip.
 */
public final class T2vDenoiseProbe {

    public static void main(String[] args) throws Exception {
        Path minilm = Probes.MINILM;
        int scenes = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        float[] ts = {0.2f, 0.5f, 0.8f, 0.95f};
        int w = 56;
        int h = 32;
        int f = Buckets.FRAMES;
        int z = 3;
        BufferedImage sheet = new BufferedImage(w * z * (1 + 3 * ts.length), h * z * scenes, BufferedImage.TYPE_INT_RGB);
        double[] err = new double[ts.length];
        int[] shapes = new int[ts.length];
        try (T2vModel model = T2vModel.load(Device.cpu(), Files.readAllBytes(Path.of(args[0])));
                SentenceEncoder text = SentenceEncoder.open(minilm); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Random rnd = new Random(99);
            for (int s = 0; s < scenes; s++) {
                Scene scene = World.sample(rnd, 1);
                String caption = Captions.heldOut(scene, rnd);
                System.out.println(s + ": " + caption);
                byte[] rgb = World.render(scene, w, h, f, Buckets.FPS);
                float[] x0 = new float[rgb.length];
                for (int i = 0; i < rgb.length; i++) {
                    x0[i] = (rgb[i] & 0xff) / 127.5f - 1;
                }
                put(sheet, x0, 0, w, h, z, 0, s);
                float[][] enc = text.embedWithTokens(caption);
                float[] e = enc[0];
                int words = enc[1].length / e.length;
                for (int k = 0; k < ts.length; k++) {
                    float t = ts[k];
                    float[] xt = new float[x0.length];
                    for (int i = 0; i < xt.length; i++) {
                        xt[i] = (1 - t) * x0[i] + t * (float) rnd.nextGaussian();
                    }
                    NDList in = new NDList(m.create(xt, new Shape(1, f, h, w, 3)), m.create(new float[] {t}),
                            m.create(e, new Shape(1, 384)), m.create(enc[1], new Shape(1, words, 384)), m.ones(new Shape(1, words)),
                            m.zeros(new Shape(1, h, w, 3)), m.zeros(new Shape(1)));
                    NDArray v = model.velocity(in);
                    float[] vv = v.toFloatArray();
                    float[] hat = new float[xt.length];
                    double se = 0;
                    for (int i = 0; i < xt.length; i++) {
                        hat[i] = xt[i] - Math.max(t, Dit.MIN_T) * vv[i];
                        se += (hat[i] - x0[i]) * (hat[i] - x0[i]);
                    }
                    err[k] += Math.sqrt(se / xt.length) / scenes;
                    byte[] guess = new byte[hat.length];
                    for (int i = 0; i < hat.length; i++) {
                        guess[i] = (byte) Math.max(0, Math.min(255, Math.round((hat[i] + 1) * 127.5f)));
                    }
                    shapes[k] += ClipScorer.read(guess, w, h, f).shape() == scene.shape() ? 1 : 0;
                    put(sheet, xt, 0, w, h, z, 1 + 3 * k, s);
                    put(sheet, hat, 0, w, h, z, 2 + 3 * k, s);
                    put(sheet, hat, f - 1, w, h, z, 3 + 3 * k, s);
                }
            }
        }
        for (int k = 0; k < ts.length; k++) {
            System.out.printf("t=%.2f  rms error of the predicted clean clip %.4f, its shape read right %d of %d%n", ts[k], err[k],
                    shapes[k], scenes);
        }
        ImageIO.write(sheet, "png", Path.of(args[1]).toFile());
    }

    private static void put(BufferedImage sheet, float[] x, int frame, int w, int h, int z, int col, int row) {
        for (int y = 0; y < h * z; y++) {
            for (int xx = 0; xx < w * z; xx++) {
                int o = ((frame * h + y / z) * w + xx / z) * 3;
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    rgb = rgb << 8 | Math.max(0, Math.min(255, Math.round((x[o + c] + 1) * 127.5f)));
                }
                sheet.setRGB(col * w * z + xx, row * h * z + y, rgb);
            }
        }
    }
}

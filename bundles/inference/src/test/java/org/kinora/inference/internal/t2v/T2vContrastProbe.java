package org.kinora.inference.internal.t2v;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.kinora.inference.internal.onnx.SentenceEncoder;
import org.kinora.samples.world.Backdrop;
import org.kinora.samples.world.Camera;
import org.kinora.samples.world.Direction;
import org.kinora.samples.world.Hue;
import org.kinora.samples.world.Scene;
import org.kinora.samples.world.Shape;
import org.kinora.samples.world.Size;
import org.kinora.samples.world.World;

/**
 * A developer's look at how much of what a prompt says a network has learned, one attribute at a time: {@code
 * T2vContrastProbe PARAMS T [NOISES]}. For pairs of training-wording prompts that differ in one attribute ("moving left"
 * against "moving right"), the ideal clean-clip guess near pure noise is the mean of the clips each prompt can stand for
 * (200 renders of the named scene, the object's start and speed drawn as the world draws them); their difference is what
 * the prompt's word is worth to the loss. The probe asks the network for both guesses from the same noise at level T and
 * prints the share of the ideal difference its guesses reproduce (projection: 1 = all of it, 0 = none) and their cosine.
 * With all pixels weighted alike, 500 steps near pure noise reproduced none of colour, shape or direction.
 */
public final class T2vContrastProbe {

    static final int W = 56;
    static final int H = 32;

    /** One contrast: its attribute and the two prompts and scenes (object start and speed left to the world). */
    record Pair(String attribute, String promptA, Scene a, String promptB, Scene b) {
    }

    public static void main(String[] args) throws Exception {
        float t = Float.parseFloat(args[1]);
        int noises = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Pair[] pairs = {
            pair("direction", "a large red square moving left on a grey background", scene(Shape.SQUARE, Hue.RED, Direction.LEFT, Backdrop.GREY),
                    "a large red square moving right on a grey background", scene(Shape.SQUARE, Hue.RED, Direction.RIGHT, Backdrop.GREY)),
            pair("direction", "a large yellow circle moving up on grass", scene(Shape.CIRCLE, Hue.YELLOW, Direction.UP, Backdrop.GRASS),
                    "a large yellow circle moving down on grass", scene(Shape.CIRCLE, Hue.YELLOW, Direction.DOWN, Backdrop.GRASS)),
            pair("shape", "a large blue circle moving left on sand", scene(Shape.CIRCLE, Hue.BLUE, Direction.LEFT, Backdrop.SAND),
                    "a large blue square moving left on sand", scene(Shape.SQUARE, Hue.BLUE, Direction.LEFT, Backdrop.SAND)),
            pair("shape", "a large white triangle moving down against the sky", scene(Shape.TRIANGLE, Hue.WHITE, Direction.DOWN, Backdrop.SKY),
                    "a large white square moving down against the sky", scene(Shape.SQUARE, Hue.WHITE, Direction.DOWN, Backdrop.SKY)),
            pair("colour", "a large red circle moving right on grass", scene(Shape.CIRCLE, Hue.RED, Direction.RIGHT, Backdrop.GRASS),
                    "a large blue circle moving right on grass", scene(Shape.CIRCLE, Hue.BLUE, Direction.RIGHT, Backdrop.GRASS)),
            pair("colour", "a large green square moving up on a grey background", scene(Shape.SQUARE, Hue.GREEN, Direction.UP, Backdrop.GREY),
                    "a large purple square moving up on a grey background", scene(Shape.SQUARE, Hue.PURPLE, Direction.UP, Backdrop.GREY)),
        };
        int f = Buckets.FRAMES;
        try (T2vModel model = T2vModel.load(Device.cpu(), Files.readAllBytes(Path.of(args[0])));
                SentenceEncoder text = SentenceEncoder.open(Probes.MINILM); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (Pair p : pairs) {
                float[] idealA = ideal(p.a(), 200);
                float[] idealB = ideal(p.b(), 200);
                float[] wanted = minus(idealA, idealB);
                float[][] embA = text.embedWithTokens(p.promptA());
                float[][] embB = text.embedWithTokens(p.promptB());
                double projection = 0;
                double cosine = 0;
                for (int k = 0; k < noises; k++) {
                    float[] got = minus(Probes.cleanGuess(model, m, embA, t, idealA, 100 + k, W, H, f),
                            Probes.cleanGuess(model, m, embB, t, idealA, 100 + k, W, H, f));
                    projection += dot(got, wanted) / dot(wanted, wanted);
                    cosine += dot(got, wanted) / Math.sqrt(dot(got, got) * dot(wanted, wanted) + 1e-12);
                }
                System.out.printf(Locale.ROOT, "%-9s t = %.2f: the guesses reproduce %.2f of the ideal difference (cosine %.2f; its RMS %.3f)"
                        + "  \"%s\" / \"%s\"%n", p.attribute(), t, projection / noises, cosine / noises,
                        Math.sqrt(dot(wanted, wanted) / wanted.length), p.promptA(), p.promptB());
            }
        }
    }

    static Pair pair(String attribute, String promptA, Scene a, String promptB, Scene b) {
        return new Pair(attribute, promptA, a, promptB, b);
    }

    /** A large object's scene with a still camera; its start and speed are placeholders that {@link #ideal} redraws. */
    static Scene scene(Shape shape, Hue hue, Direction direction, Backdrop backdrop) {
        return new Scene(shape, hue, Size.LARGE, direction, backdrop, Camera.STILL, 0.5, 0.5, 0);
    }

    /** The mean of {@code n} renders of the scene, each with the start and speed the world draws for its size and direction. */
    static float[] ideal(Scene like, int n) {
        Random rnd = new Random(1);
        int f = Buckets.FRAMES;
        float[] sum = new float[f * H * W * 3];
        int got = 0;
        while (got < n) {
            Scene s = World.sample(rnd, 1.0);
            if (s.size() != like.size() || s.direction() != like.direction()) {
                continue;
            }
            Scene drawn = new Scene(like.shape(), like.hue(), like.size(), like.direction(), like.backdrop(), like.camera(), s.startX(),
                    s.startY(), s.speed());
            float[] x = Probes.pixels(World.render(drawn, W, H, f, Buckets.FPS));
            for (int k = 0; k < x.length; k++) {
                sum[k] += x[k] / n;
            }
            got++;
        }
        return sum;
    }

    static float[] minus(float[] a, float[] b) {
        float[] c = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i] - b[i];
        }
        return c;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}

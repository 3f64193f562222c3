package org.kinora.inference.internal.t2v;

import java.util.List;

/**
 * The native sizes of the built-in text-to-video model, one per aspect ratio (multi-resolution training as Sora and
 * HunyuanVideo do it: every clip is made at its own aspect's size, never stretched or cropped from a square). Sides are
 * multiples of the patch size.
 */
public final class Buckets {

    /** One aspect ratio's native size. */
    public record Bucket(String aspect, int width, int height) {
    }

    public static final List<Bucket> ALL = List.of(new Bucket("16:9", 56, 32), new Bucket("9:16", 32, 56), new Bucket("1:1", 40, 40),
            new Bucket("4:3", 48, 36));

    /** Frames the model makes in one go, and their rate. */
    public static final int FRAMES = 8;
    public static final double FPS = 8;

    private Buckets() {
    }

    /** The bucket whose aspect ratio is nearest to {@code width / height} (in log ratio). */
    public static Bucket nearest(int width, int height) {
        double r = Math.log((double) width / height);
        Bucket best = ALL.get(0);
        for (Bucket b : ALL) {
            if (Math.abs(Math.log((double) b.width() / b.height()) - r) < Math.abs(Math.log((double) best.width() / best.height()) - r)) {
                best = b;
            }
        }
        return best;
    }
}

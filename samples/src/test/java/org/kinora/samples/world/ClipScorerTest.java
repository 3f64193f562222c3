package org.kinora.samples.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ClipScorerTest {

    /** Per-attribute tallies of a run of readings. */
    static final class Tally {
        final String name;
        int n;
        int shape;
        int hue;
        int direction;
        double seconds;
        final StringBuilder misses = new StringBuilder();

        Tally(String name) {
            this.name = name;
        }

        void add(Scene s, ClipScorer.Reading r) {
            n++;
            shape += s.shape() == r.shape() ? 1 : 0;
            hue += s.hue() == r.hue() ? 1 : 0;
            direction += s.direction() == r.direction() ? 1 : 0;
            if ((s.shape() != r.shape() || s.hue() != r.hue() || s.direction() != r.direction())
                    && misses.length() < 3000) {
                misses.append("\n    ").append(s).append(" -> ").append(r.shape()).append(' ').append(r.hue())
                        .append(' ').append(r.direction()).append(" | ").append(r.why());
            }
        }

        String figures() {
            return String.format(Locale.ROOT, "ClipScorer %s: %d clips, shape %.1f%%, hue %.1f%%, direction %.1f%%"
                    + " (%.1f ms per clip)", name, n, 100.0 * shape / n, 100.0 * hue / n, 100.0 * direction / n,
                    seconds * 1000 / n);
        }

        void assertAtLeast(double fraction) {
            System.out.println(figures() + (misses.length() > 0 ? "\n  misses:" + misses : ""));
            assertTrue(shape >= fraction * n && hue >= fraction * n && direction >= fraction * n,
                    figures() + " below " + fraction);
        }
    }

    @Test
    void readsNativeClips() {
        Random rnd = new Random(21);
        Tally main = new Tally("56x32x8");
        Tally other = new Tally("32x56, 40x40, 48x36 x8");
        for (int i = 0; i < 300; i++) {
            Scene s = World.sample(rnd, 1);
            score(main, s, World.render(s, 56, 32, 8, 8), 56, 32, 8);
        }
        for (int i = 0; i < 300; i++) {
            Scene s = World.sample(rnd, 1);
            int[] wh = WorldTest.NATIVE[1 + i % 3];
            score(other, s, World.render(s, wh[0], wh[1], 8, 8), wh[0], wh[1], 8);
        }
        main.assertAtLeast(0.97);
        other.assertAtLeast(0.97);
    }

    @Test
    void readsLargeClips() {
        Random rnd = new Random(22);
        Tally hd = new Tally("1280x720x25");
        for (int i = 0; i < 100; i++) {
            Scene s = World.sample(rnd, 1);
            score(hd, s, World.render(s, 1280, 720, 25, 25), 1280, 720, 25);
        }
        Tally portrait = new Tally("1080x1920x10");
        for (int i = 0; i < 12; i++) {
            Scene s = World.sample(rnd, 1);
            score(portrait, s, World.render(s, 1080, 1920, 10, 10), 1080, 1920, 10);
        }
        hd.assertAtLeast(0.97);
        portrait.assertAtLeast(0.9);
    }

    @Test
    void readsDegradedClips() {
        Random rnd = new Random(23);
        Tally degraded = new Tally("degraded native (blur 0.5-1.0 px, noise 12, colour shift +-10)");
        for (int i = 0; i < 300; i++) {
            Scene s = World.sample(rnd, 1);
            int[] wh = WorldTest.NATIVE[i % 4];
            byte[] clip = degrade(World.render(s, wh[0], wh[1], 8, 8), wh[0], wh[1], 8, rnd, 1.0, 12, 10, 0);
            score(degraded, s, clip, wh[0], wh[1], 8);
        }
        degraded.assertAtLeast(0.90);
        // Worse than a decent generator's output, to know the margin: printed, held to a lower bar.
        Tally worse = new Tally("badly degraded native (blur 0.5-1.5 px, noise 20, colour shift +-20, 30% desaturated)");
        for (int i = 0; i < 120; i++) {
            Scene s = World.sample(rnd, 1);
            int[] wh = WorldTest.NATIVE[i % 4];
            byte[] clip = degrade(World.render(s, wh[0], wh[1], 8, 8), wh[0], wh[1], 8, rnd, 1.5, 20, 20, 0.3);
            score(worse, s, clip, wh[0], wh[1], 8);
        }
        worse.assertAtLeast(0.85);
    }

    @Test
    void findsNoObjectOnAnEmptyClip() {
        byte[] grey = new byte[40 * 40 * 3 * 4];
        Arrays.fill(grey, (byte) 128);
        ClipScorer.Reading r = ClipScorer.read(grey, 40, 40, 4);
        assertNull(r.shape());
        assertEquals(0, r.confidence());
        assertTrue(r.why().contains("no object"), r.why());
    }

    @Test
    void findsNoObjectInNoiseAndNoMotionInAStillObject() {
        Random rnd = new Random(24);
        byte[] noise = new byte[56 * 32 * 3 * 8];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (byte) Math.max(0, Math.min(255, Math.round(128 + 12 * rnd.nextGaussian())));
        }
        ClipScorer.Reading none = ClipScorer.read(noise, 56, 32, 8);
        assertNull(none.shape(), none.why());
        Scene still = new Scene(Shape.TRIANGLE, Hue.YELLOW, Size.LARGE, Direction.LEFT, Backdrop.STRIPES, Camera.PAN,
                0.5, 0.5, 0);
        ClipScorer.Reading r = ClipScorer.read(World.render(still, 48, 36, 8, 8), 48, 36, 8);
        assertEquals(Shape.TRIANGLE, r.shape(), r.why());
        assertEquals(Hue.YELLOW, r.hue(), r.why());
        assertNull(r.direction(), r.why());
        assertTrue(r.why().contains("not moving"), r.why());
    }

    @Test
    void confidenceIsHighOnCleanClips() {
        Random rnd = new Random(25);
        double sum = 0;
        for (int i = 0; i < 40; i++) {
            Scene s = World.sample(rnd, 1);
            sum += ClipScorer.read(World.render(s, 56, 32, 8, 8), 56, 32, 8).confidence();
        }
        assertTrue(sum / 40 > 0.8, "mean confidence " + sum / 40);
    }

    @Test
    void refusesBadInput() {
        assertThrows(IllegalArgumentException.class, () -> ClipScorer.read(new byte[10], 56, 32, 8));
        assertThrows(IllegalArgumentException.class, () -> ClipScorer.read(new byte[56 * 32 * 3], 56, 32, 1));
        assertThrows(IllegalArgumentException.class, () -> ClipScorer.read(new byte[4 * 32 * 3 * 2], 4, 32, 2));
    }

    private static void score(Tally t, Scene s, byte[] clip, int w, int h, int frames) {
        long t0 = System.nanoTime();
        ClipScorer.Reading r = ClipScorer.read(clip, w, h, frames);
        t.seconds += (System.nanoTime() - t0) / 1e9;
        assertTrue(r.confidence() >= 0 && r.confidence() <= 1, "confidence " + r.confidence());
        t.add(s, r);
    }

    /**
     * A stand-in for a generated clip's flaws: desaturation towards each pixel's grey by {@code desaturate}, a Gaussian
     * blur of 0.5 to {@code maxBlur} px, Gaussian noise of {@code noise} levels per channel and a colour shift of up to
     * {@code maxShift} levels per channel.
     */
    static byte[] degrade(byte[] clip, int w, int h, int frames, Random rnd, double maxBlur, double noise,
            int maxShift, double desaturate) {
        double sigma = 0.5 + (maxBlur - 0.5) * rnd.nextDouble();
        int[] shift = new int[3];
        for (int c = 0; c < 3; c++) {
            shift[c] = rnd.nextInt(2 * maxShift + 1) - maxShift;
        }
        double[] grey = new double[clip.length];
        for (int i = 0; i < clip.length; i += 3) {
            double g = ((clip[i] & 0xff) + (clip[i + 1] & 0xff) + (clip[i + 2] & 0xff)) / 3.0;
            for (int c = 0; c < 3; c++) {
                grey[i + c] = (clip[i + c] & 0xff) * (1 - desaturate) + g * desaturate;
            }
        }
        int r = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * r + 1];
        double ks = 0;
        for (int i = -r; i <= r; i++) {
            kernel[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            ks += kernel[i + r];
        }
        byte[] out = new byte[clip.length];
        double[] tmp = new double[w * h];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < 3; c++) {
                int base = f * w * h * 3 + c;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double s = 0;
                        for (int i = -r; i <= r; i++) {
                            int xx = Math.max(0, Math.min(w - 1, x + i));
                            s += kernel[i + r] * grey[base + 3 * (y * w + xx)];
                        }
                        tmp[y * w + x] = s / ks;
                    }
                }
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double s = 0;
                        for (int i = -r; i <= r; i++) {
                            int yy = Math.max(0, Math.min(h - 1, y + i));
                            s += kernel[i + r] * tmp[yy * w + x];
                        }
                        double v = s / ks + shift[c] + noise * rnd.nextGaussian();
                        out[base + 3 * (y * w + x)] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                    }
                }
            }
        }
        return out;
    }
}

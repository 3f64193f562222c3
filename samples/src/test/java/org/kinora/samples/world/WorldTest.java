package org.kinora.samples.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class WorldTest {

    /** The native training sizes (16:9, 9:16, 1:1, 4:3). */
    static final int[][] NATIVE = {{56, 32}, {32, 56}, {40, 40}, {48, 36}};

    @Test
    void renderIsDeterministicAndScenesDiffer() {
        Random rnd = new Random(1);
        Scene a = World.sample(rnd, 1);
        Scene b = World.sample(rnd, 1);
        byte[] first = World.render(a, 56, 32, 8, 8);
        assertEquals(56 * 32 * 3 * 8, first.length);
        assertArrayEquals(first, World.render(a, 56, 32, 8, 8), "same scene, same bytes");
        assertFalse(java.util.Arrays.equals(first, World.render(b, 56, 32, 8, 8)), "different scenes differ");
        assertEquals(World.sample(new Random(7), 1), World.sample(new Random(7), 1), "sampling is seeded");
    }

    @Test
    void renderIntoFillsABatchInPlace() {
        Random rnd = new Random(10);
        Scene a = World.sample(rnd, 1);
        Scene b = World.sample(rnd, 1);
        int clip = 40 * 40 * 3 * 8;
        byte[] batch = new byte[2 * clip + 5];
        java.util.Arrays.fill(batch, (byte) 77);
        World.renderInto(a, 40, 40, 8, 8, batch, 5);
        World.renderInto(b, 40, 40, 8, 8, batch, 5 + clip);
        assertArrayEquals(World.render(a, 40, 40, 8, 8), java.util.Arrays.copyOfRange(batch, 5, 5 + clip));
        assertArrayEquals(World.render(b, 40, 40, 8, 8), java.util.Arrays.copyOfRange(batch, 5 + clip, 5 + 2 * clip));
        assertEquals(77, batch[4]);
        assertThrows(IllegalArgumentException.class, () -> World.renderInto(a, 40, 40, 8, 8, batch, 6 + clip));
        assertThrows(IllegalArgumentException.class, () -> World.renderInto(a, 40, 40, 8, 8, batch, -1));
    }

    @Test
    void sampledAttributesAreUniformAndSpeedsInRange() {
        Random rnd = new Random(2);
        int n = 6000;
        int[] shapes = new int[Shape.values().length];
        int[] hues = new int[Hue.values().length];
        int[] dirs = new int[Direction.values().length];
        int[] backdrops = new int[Backdrop.values().length];
        for (int i = 0; i < n; i++) {
            Scene s = World.sample(rnd, 1);
            shapes[s.shape().ordinal()]++;
            hues[s.hue().ordinal()]++;
            dirs[s.direction().ordinal()]++;
            backdrops[s.backdrop().ordinal()]++;
            assertTrue(s.speed() >= World.MIN_SPEED && s.speed() <= World.MAX_SPEED, "speed " + s.speed());
        }
        for (int[] counts : new int[][] {shapes, hues, dirs, backdrops}) {
            for (int c : counts) {
                assertEquals(n / (double) counts.length, c, n * 0.03 + 0.1 * n / counts.length, "uniform counts");
            }
        }
        Scene slow = World.sample(new Random(3), 10);
        assertTrue(slow.speed() * 10 <= 1, "long clips slow the object so it stays in frame: " + slow);
    }

    @Test
    void objectStaysInFrameAtEveryAspect() {
        Random rnd = new Random(4);
        for (int i = 0; i < 3000; i++) {
            double seconds = i % 3 == 0 ? 1 : 0.5 + rnd.nextDouble() * 3;
            Scene s = World.sample(rnd, seconds);
            for (int[] wh : NATIVE) {
                int w = wh[0];
                int h = wh[1];
                double half = s.size().fraction() * Math.min(w, h) / 2;
                for (double t : new double[] {0, seconds}) {
                    double cx = s.x(t) * w;
                    double cy = s.y(t) * h;
                    assertTrue(cx - half >= 0 && cx + half <= w && cy - half >= 0 && cy + half <= h,
                            s + " leaves a " + w + "x" + h + " frame at t=" + t);
                }
            }
        }
        // And in pixels: every frame shows the whole object (its core colour covers about its area).
        for (int i = 0; i < 200; i++) {
            Scene s = World.sample(rnd, 1);
            int[] wh = NATIVE[i % NATIVE.length];
            byte[] clip = World.render(s, wh[0], wh[1], 8, 8);
            byte[] backdrop = World.render(s, wh[0], wh[1], 8, 8, false);
            double side = s.size().fraction() * Math.min(wh[0], wh[1]);
            double area = side * side * switch (s.shape()) {
                case CIRCLE -> Math.PI / 4;
                case SQUARE -> 1;
                case TRIANGLE -> 0.5;
            };
            for (int f = 0; f < 8; f++) {
                double covered = coverage(clip, backdrop, f, wh[0], wh[1], s.hue());
                assertEquals(area, covered, Math.max(1.5, area * 0.05), s + " frame " + f + " at " + wh[0] + "x" + wh[1]);
            }
        }
    }

    @Test
    void sameSceneLooksTheSameAtAnySize() {
        Random rnd = new Random(5);
        for (int i = 0; i < 12; i++) {
            Scene s = World.sample(rnd, 1);
            byte[] small = World.render(s, 56, 32, 4, 4);
            byte[] big = World.render(s, 56 * 12, 32 * 12, 4, 4);
            double diff = meanAbsDiff(small, boxDown(big, 56 * 12, 32 * 12, 4, 12));
            assertTrue(diff < 4, s + ": 672x384 box-averaged to 56x32 differs from 56x32 by " + diff);
        }
    }

    @Test
    void backdropsStayFarFromEveryHue() {
        Random rnd = new Random(6);
        for (Backdrop backdrop : Backdrop.values()) {
            for (Camera camera : Camera.values()) {
                for (int[] wh : new int[][] {{56, 32}, {32, 56}, {320, 180}}) {
                            Scene s = new Scene(Shape.CIRCLE, Hue.RED, Size.SMALL, Direction.LEFT, backdrop, camera,
                            rnd.nextDouble(), rnd.nextDouble(), 0);
                    byte[] clip = World.render(s, wh[0], wh[1], 8, 8, false);
                    double nearest = Double.MAX_VALUE;
                    for (int i = 0; i < clip.length; i += 3) {
                        for (Hue hue : Hue.values()) {
                            nearest = Math.min(nearest, dist(clip, i, hue));
                        }
                    }
                    assertTrue(nearest >= 80, backdrop + " comes within " + nearest + " of a hue");
                    int frameBytes = wh[0] * wh[1] * 3;
                    double moved = meanAbsDiff(java.util.Arrays.copyOfRange(clip, 0, frameBytes),
                            java.util.Arrays.copyOfRange(clip, 7 * frameBytes, 8 * frameBytes));
                    Set<Backdrop> flat = EnumSet.of(Backdrop.GREY);
                    if (camera == Camera.STILL || flat.contains(backdrop)) {
                        assertEquals(0, moved, 1e-9, backdrop + " " + camera + " stands still");
                    } else if (backdrop != Backdrop.NIGHT && backdrop != Backdrop.SKY) {
                        assertTrue(moved > 0.5, backdrop + " " + camera + " moves the backdrop: " + moved);
                    }
                }
            }
        }
    }

    @Test
    void renderIsFast() {
        Random rnd = new Random(8);
        Scene[] scenes = new Scene[400];
        for (int i = 0; i < scenes.length; i++) {
            scenes[i] = World.sample(rnd, 1);
        }
        for (Scene s : scenes) {
            World.render(s, 56, 32, 8, 8);
        }
        long t0 = System.nanoTime();
        long sum = 0;
        for (Scene s : scenes) {
            sum += World.render(s, 56, 32, 8, 8)[5];
        }
        double perFrameMs = (System.nanoTime() - t0) / 1e6 / (scenes.length * 8);
        long t1 = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            sum += World.render(scenes[i], 1280, 720, 5, 25)[7];
        }
        double hdFrameMs = (System.nanoTime() - t1) / 1e6 / 30;
        System.out.printf("World.render: %.4f ms per 56x32 frame, %.1f ms per 1280x720 frame (%d)%n", perFrameMs,
                hdFrameMs, sum & 1);
        assertTrue(perFrameMs < 1, "a 56x32 frame takes " + perFrameMs + " ms");
    }

    @Test
    void coverageIsWhereTheRenderBlendsInTheObject() {
        Random rnd = new Random(12);
        for (int[] wh : NATIVE) {
            for (int k = 0; k < 6; k++) {
                Scene s = World.sample(rnd, 1);
                int w = wh[0];
                int h = wh[1];
                byte[] clip = World.render(s, w, h, 8, 8);
                byte[] backdrop = World.render(s, w, h, 8, 8, false);
                float[] cover = new float[8 * w * h + 3];
                cover[0] = 9f;
                World.coverageInto(s, w, h, 8, 8, cover, 3);
                assertEquals(9f, cover[0], "values before the offset are left alone");
                double inside = 0;
                for (int p = 0; p < 8 * w * h; p++) {
                    double a = cover[3 + p];
                    assertTrue(a >= 0 && a <= 1, "coverage " + a);
                    inside += a;
                    int[] hue = {s.hue().r(), s.hue().g(), s.hue().b()};
                    for (int c = 0; c < 3; c++) {
                        double expected = (backdrop[p * 3 + c] & 0xff) * (1 - a) + hue[c] * a;
                        assertEquals(expected, clip[p * 3 + c] & 0xff, 0.51, "pixel " + p + " channel " + c + " of " + s);
                    }
                }
                double side = s.size().fraction() * Math.min(w, h);
                double area = switch (s.shape()) {
                    case CIRCLE -> Math.PI * side * side / 4;
                    case SQUARE -> side * side;
                    case TRIANGLE -> side * side / 2;
                };
                assertEquals(8 * area, inside, 8 * area * 0.1, "the object's area, summed over 8 frames, of " + s);
            }
        }
        Scene s = World.sample(rnd, 1);
        assertThrows(IllegalArgumentException.class, () -> World.coverageInto(s, 40, 40, 8, 8, new float[40 * 40 * 8 - 1], 0));
        assertThrows(IllegalArgumentException.class, () -> World.coverageInto(s, 40, 40, 8, 8, new float[40 * 40 * 8], -1));
    }

    @Test
    void badArgumentsAreRefused() {
        Scene s = World.sample(new Random(9), 1);
        assertThrows(IllegalArgumentException.class, () -> World.render(s, 0, 32, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> World.render(s, 56, 5000, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> World.render(s, 56, 32, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> World.render(s, 56, 32, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> World.render(s, 4096, 4096, 100, 8));
        assertThrows(IllegalArgumentException.class, () -> World.sample(new Random(), 0));
        assertThrows(IllegalArgumentException.class, () -> new Scene(Shape.CIRCLE, Hue.RED, Size.SMALL,
                Direction.UP, Backdrop.SKY, Camera.PAN, 0.5, 0.5, -1));
    }

    /**
     * Pixels' worth of the object in frame {@code f}: each pixel counts by how far its colour lies along the line from
     * the backdrop's colour there (rendered without the object) to the hue.
     */
    static double coverage(byte[] clip, byte[] backdrop, int f, int w, int h, Hue hue) {
        int base = f * w * h * 3;
        double sum = 0;
        for (int i = base; i < base + w * h * 3; i += 3) {
            double[] dir = {hue.r() - (backdrop[i] & 0xff), hue.g() - (backdrop[i + 1] & 0xff),
                hue.b() - (backdrop[i + 2] & 0xff)};
            double a = ((clip[i] & 0xff) - (backdrop[i] & 0xff)) * dir[0]
                    + ((clip[i + 1] & 0xff) - (backdrop[i + 1] & 0xff)) * dir[1]
                    + ((clip[i + 2] & 0xff) - (backdrop[i + 2] & 0xff)) * dir[2];
            sum += a / (dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
        }
        return sum;
    }

    static int[] median(byte[] clip, int base, int pixels) {
        int[] out = new int[3];
        for (int c = 0; c < 3; c++) {
            int[] hist = new int[256];
            for (int p = 0; p < pixels; p++) {
                hist[clip[base + p * 3 + c] & 0xff]++;
            }
            int acc = 0;
            for (int v = 0; v < 256; v++) {
                acc += hist[v];
                if (acc * 2 >= pixels) {
                    out[c] = v;
                    break;
                }
            }
        }
        return out;
    }

    static double dist(byte[] clip, int i, Hue hue) {
        double dr = (clip[i] & 0xff) - hue.r();
        double dg = (clip[i + 1] & 0xff) - hue.g();
        double db = (clip[i + 2] & 0xff) - hue.b();
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    static double meanAbsDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return sum / (double) a.length;
    }

    /** Averages k x k blocks: a clip of {@code frames} frames at w x h becomes (w/k) x (h/k). */
    static byte[] boxDown(byte[] clip, int w, int h, int frames, int k) {
        int ow = w / k;
        int oh = h / k;
        byte[] out = new byte[ow * oh * 3 * frames];
        for (int f = 0; f < frames; f++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    for (int c = 0; c < 3; c++) {
                        int sum = 0;
                        for (int dy = 0; dy < k; dy++) {
                            for (int dx = 0; dx < k; dx++) {
                                sum += clip[((f * h + y * k + dy) * w + x * k + dx) * 3 + c] & 0xff;
                            }
                        }
                        out[((f * oh + y) * ow + x) * 3 + c] = (byte) Math.round(sum / (double) (k * k));
                    }
                }
            }
        }
        return out;
    }
}

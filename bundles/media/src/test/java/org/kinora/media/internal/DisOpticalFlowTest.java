package org.kinora.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.kinora.core.media.FlowField;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;

/**
 * DIS optical flow on a textured picture moved by a known amount, the field's direction convention, and warping frames
 * and fields along a field.
 */
class DisOpticalFlowTest {

    /** A smooth random texture (sum of a few sines with random phases and frequencies), moved by {@code (sx, sy)}. */
    static VideoFrame texture(long index, int w, int h, double sx, double sy) {
        Random r = new Random(5);
        int k = 12;
        double[] fx = new double[k];
        double[] fy = new double[k];
        double[] ph = new double[k];
        for (int i = 0; i < k; i++) {
            fx[i] = (r.nextDouble() - 0.5) * 0.3;
            fy[i] = (r.nextDouble() - 0.5) * 0.3;
            ph[i] = r.nextDouble() * 6.283;
        }
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0;
                for (int i = 0; i < k; i++) {
                    v += Math.sin((x - sx) * fx[i] + (y - sy) * fy[i] + ph[i]);
                }
                int g = (int) Math.max(0, Math.min(255, 128 + v * 30));
                int o = (y * w + x) * 3;
                px[o] = (byte) g;
                px[o + 1] = (byte) (255 - g);
                px[o + 2] = (byte) (g / 2 + 60);
            }
        }
        return new VideoFrame(index, w, h, ByteBuffer.wrap(px));
    }

    @Test
    void findsAKnownShiftOnTheSourceGrid() throws Exception {
        int w = 320;
        int h = 192;
        VideoFrame a = texture(0, w, h, 0, 0);
        VideoFrame b = texture(1, w, h, 3, -2); // b(x) = a(x - (3, -2)): a's content is found in b at x + (3, -2)
        FlowField ab = new DisOpticalFlow().estimate(a, b);
        FlowField ba = new DisOpticalFlow().estimate(b, a);
        assertEquals(w, ab.width());
        assertEquals(h, ab.height());
        double[] m = meanInside(ab, 24);
        assertEquals(3, m[0], 0.25, "dx from a to b");
        assertEquals(-2, m[1], 0.25, "dy from a to b");
        double[] n = meanInside(ba, 24);
        assertEquals(-3, n[0], 0.25, "dx from b to a");
        assertEquals(2, n[1], 0.25, "dy from b to a");
    }

    @Test
    void framesOfDifferentSizesAreAnError() {
        MediaException e = assertThrows(MediaException.class,
                () -> new DisOpticalFlow().estimate(texture(4, 64, 48, 0, 0), texture(5, 48, 64, 0, 0)));
        assertTrue(e.getMessage().contains("differ in size"), e.getMessage());
    }

    /** A field of the same (dx, dy) everywhere. */
    static FlowField constant(int w, int h, float dx, float dy) {
        FloatBuffer f = FloatBuffer.allocate(w * h * 2);
        for (int i = 0; i < w * h; i++) {
            f.put(dx).put(dy);
        }
        return new FlowField(w, h, f.flip());
    }

    /**
     * Warping b along the flow from a to b gives a back: out(x) = b(x + d). A whole-pixel shift is exact inside (edge
     * pixels replicate outside), a half-pixel shift averages the two neighbours.
     */
    @Test
    void warpsAFrameAlongAField() throws Exception {
        int w = 64;
        int h = 40;
        VideoFrame b = texture(7, w, h, 0, 0);
        VideoFrame out = new DisOpticalFlow().warp(b, constant(w, h, 3, -2));
        assertEquals(7, out.index());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = Math.min(w - 1, x + 3);
                int sy = Math.max(0, y - 2);
                for (int k = 0; k < 3; k++) {
                    assertEquals(b.rgb().get((sy * w + sx) * 3 + k), out.rgb().get((y * w + x) * 3 + k), "pixel " + x + "," + y);
                }
            }
        }
        VideoFrame half = new DisOpticalFlow().warp(b, constant(w, h, 0.5f, 0));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w - 1; x++) {
                for (int k = 0; k < 3; k++) {
                    double want = ((b.rgb().get((y * w + x) * 3 + k) & 0xff) + (b.rgb().get((y * w + x + 1) * 3 + k) & 0xff)) / 2.0;
                    assertEquals(want, half.rgb().get((y * w + x) * 3 + k) & 0xff, 0.51, "pixel " + x + "," + y);
                }
            }
        }
    }

    /** A field warped along another: each component sampled like a frame's channel, bilinearly. */
    @Test
    void warpsAFieldAlongAField() throws Exception {
        int w = 48;
        int h = 32;
        FloatBuffer f = FloatBuffer.allocate(w * h * 2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                f.put(x * 0.5f).put(-y);
            }
        }
        FlowField field = new FlowField(w, h, f.flip());
        FlowField out = new DisOpticalFlow().warp(field, constant(w, h, 2.25f, 1));
        for (int y = 0; y < h - 1; y++) {
            for (int x = 0; x < w - 3; x++) {
                float[] d = out.at(x, y);
                assertEquals((x + 2.25f) * 0.5f, d[0], 1e-3, "dx at " + x + "," + y);
                assertEquals(-(y + 1), d[1], 1e-3, "dy at " + x + "," + y);
            }
        }
        MediaException e = assertThrows(MediaException.class, () -> new DisOpticalFlow().warp(field, constant(w, h + 1, 0, 0)));
        assertTrue(e.getMessage().contains("differ in size"), e.getMessage());
    }

    /** Milliseconds per call, and per warp, at 720p and 1080p (printed), and that the motion is found at those sizes. */
    @Test
    void costAt720pAnd1080p() throws Exception {
        for (int[] size : new int[][] {{1280, 720}, {1920, 1080}}) {
            cost(new DisOpticalFlow(), size, "ULTRAFAST");
        }
    }

    private static void cost(DisOpticalFlow flow, int[] size, String how) throws Exception {
        {
            VideoFrame a = texture(0, size[0], size[1], 0, 0);
            VideoFrame b = texture(1, size[0], size[1], 2, 1);
            flow.estimate(a, b);
            int runs = 5;
            long t0 = System.nanoTime();
            FlowField f = null;
            for (int i = 0; i < runs; i++) {
                f = flow.estimate(a, b);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / runs;
            System.out.printf(Locale.ROOT, "DIS optical flow %dx%d (%s): %.1f ms per frame%n", size[0], size[1], how, ms);
            t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                flow.warp(a, f);
            }
            double frameMs = (System.nanoTime() - t0) / 1e6 / runs;
            t0 = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                flow.warp(f, f);
            }
            System.out.printf(Locale.ROOT, "warp %dx%d: %.1f ms a frame, %.1f ms a flow field%n", size[0], size[1], frameMs,
                    (System.nanoTime() - t0) / 1e6 / runs);
            double[] m = meanInside(f, 32);
            assertEquals(2, m[0], 0.3, how);
            assertEquals(1, m[1], 0.3, how);
        }
    }

    /** Mean (dx, dy) over the pixels at least {@code margin} from every edge. */
    static double[] meanInside(FlowField f, int margin) {
        double sx = 0;
        double sy = 0;
        long n = 0;
        for (int y = margin; y < f.height() - margin; y++) {
            for (int x = margin; x < f.width() - margin; x++) {
                float[] d = f.at(x, y);
                sx += d[0];
                sy += d[1];
                n++;
            }
        }
        return new double[] {sx / n, sy / n};
    }
}

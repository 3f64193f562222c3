package org.kinora.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;

/**
 * Telea inpainting: a hole in a smooth gradient is filled with values close to the gradient, pixels outside the hole are
 * kept exactly, at full size and with the reduced pass for a person-sized hole at 1080p, and a mask of the wrong size is
 * refused.
 */
class TeleaInpaintingTest {

    /** A smooth gradient: red grows to the right, green downwards, blue along the diagonal. */
    static VideoFrame gradient(long index, int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                px[o] = (byte) Math.round(30 + 190.0 * x / (w - 1));
                px[o + 1] = (byte) Math.round(20 + 200.0 * y / (h - 1));
                px[o + 2] = (byte) Math.round(40 + 80.0 * (x + y) / (w + h - 2));
            }
        }
        return new VideoFrame(index, w, h, ByteBuffer.wrap(px));
    }

    /** An ellipse of the given size centred at {@code (cx, cy)}, 1 inside (any non-zero value means "fill"). */
    static ByteBuffer ellipse(int w, int h, int cx, int cy, int ew, int eh) {
        ByteBuffer m = ByteBuffer.allocate(w * h);
        double a = ew / 2.0;
        double b = eh / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - cx) / a;
                double dy = (y - cy) / b;
                if (dx * dx + dy * dy <= 1) {
                    m.put(y * w + x, (byte) 1);
                }
            }
        }
        return m;
    }

    /** Largest and mean absolute differences over the hole's pixels; asserts the others are byte-identical. */
    static double[] errors(VideoFrame original, VideoFrame filled, ByteBuffer mask) {
        int max = 0;
        long sum = 0;
        long n = 0;
        for (int i = 0; i < original.width() * original.height(); i++) {
            for (int k = 0; k < 3; k++) {
                int a = original.rgb().get(i * 3 + k) & 0xff;
                int b = filled.rgb().get(i * 3 + k) & 0xff;
                if (mask.get(i) == 0) {
                    if (a != b) {
                        throw new AssertionError("pixel " + (i % original.width()) + "," + (i / original.width())
                                + " outside the hole changed: " + a + " -> " + b);
                    }
                } else {
                    max = Math.max(max, Math.abs(a - b));
                    sum += Math.abs(a - b);
                    n++;
                }
            }
        }
        return new double[] {max, (double) sum / n};
    }

    @Test
    void fillsAHoleInAGradientAndKeepsTheRest() throws Exception {
        int w = 160;
        int h = 120;
        VideoFrame frame = gradient(7, w, h);
        ByteBuffer mask = ellipse(w, h, 70, 60, 40, 30);
        VideoFrame out = new TeleaInpainting().inpaint(frame, mask, 3);
        assertEquals(7, out.index());
        assertEquals(0, out.rgb().position());
        double[] e = errors(frame, out, mask);
        System.out.printf(Locale.ROOT, "inpainting 40x30 hole in a gradient: max error %.0f, mean %.2f%n", e[0], e[1]);
        // Telea extrapolates the border with a first-order estimate: exact on the rim, a few levels off at the centre
        assertTrue(e[0] <= 32, "largest error in the hole " + e[0]);
        assertTrue(e[1] <= 6, "mean error in the hole " + e[1]);
        assertEquals(0, mask.position(), "the caller's mask is left as it was");
    }

    @Test
    void anEmptyMaskGivesTheFrameBack() throws Exception {
        VideoFrame frame = gradient(1, 64, 48);
        VideoFrame out = new TeleaInpainting().inpaint(frame, ByteBuffer.allocate(64 * 48), 5);
        assertEquals(frame.rgb(), out.rgb());
    }

    /**
     * A person-sized hole at 1080p, filled at full size and with the reduced interior: both close to the gradient, both
     * exact outside; prints both times (the reason for the reduced pass).
     */
    @Test
    void aPersonSizedHoleAt1080p() throws Exception {
        int w = 1920;
        int h = 1080;
        VideoFrame frame = gradient(3, w, h);
        ByteBuffer mask = ellipse(w, h, 900, 540, 500, 900);
        new TeleaInpainting().inpaint(gradient(0, 64, 48), ellipse(64, 48, 30, 20, 10, 10), 3); // natives loaded
        long t0 = System.nanoTime();
        VideoFrame full = new TeleaInpainting(false).inpaint(frame, mask, 5);
        long t1 = System.nanoTime();
        VideoFrame reduced = new TeleaInpainting(true).inpaint(frame, mask, 5);
        long t2 = System.nanoTime();
        double[] ef = errors(frame, full, mask);
        double[] er = errors(frame, reduced, mask);
        System.out.printf(Locale.ROOT, "inpainting a 500x900 ellipse at 1920x1080, radius 5: full size %.0f ms (max error %.0f,"
                + " mean %.2f), reduced interior %.0f ms (max error %.0f, mean %.2f)%n", (t1 - t0) / 1e6, ef[0], ef[1],
                (t2 - t1) / 1e6, er[0], er[1]);
        assertTrue(er[1] <= 25, "mean error of the reduced fill " + er[1]);
        assertTrue(er[1] <= ef[1] * 1.5 + 2, "reduced fill (mean " + er[1] + ") no worse than the full one (" + ef[1] + ")");
    }

    @Test
    void aMaskOfTheWrongSizeIsAnError() {
        MediaException e = assertThrows(MediaException.class,
                () -> new TeleaInpainting().inpaint(gradient(12, 64, 48), ByteBuffer.allocate(64 * 47), 3));
        assertTrue(e.getMessage().contains("frame 12") && e.getMessage().contains("3008")
                && e.getMessage().contains("64x48") && e.getMessage().contains("3072"), e.getMessage());
    }

    @Test
    void aRadiusBelowOneIsAProgrammingError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TeleaInpainting().inpaint(gradient(4, 16, 8), ByteBuffer.allocate(16 * 8), 0));
        assertTrue(e.getMessage().contains("frame 4") && e.getMessage().contains("radius 0"), e.getMessage());
    }

    @Test
    void aMaskOverTheWholeFrameIsAnError() {
        ByteBuffer all = ByteBuffer.allocate(32 * 24);
        for (int i = 0; i < all.capacity(); i++) {
            all.put(i, (byte) 255);
        }
        MediaException e = assertThrows(MediaException.class,
                () -> new TeleaInpainting().inpaint(gradient(2, 32, 24), all, 3));
        assertTrue(e.getMessage().contains("frame 2") && e.getMessage().contains("whole"), e.getMessage());
    }
}

package org.kinora.effect.motionbrush.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Soft masks and the flow / wave fields have the documented values inside, outside and at feathered edges. */
class MotionFieldsTest {

    static final double NAN = Double.NaN;

    static Region.Polygon rect(double x0, double y0, double x1, double y1, double feather) {
        return new Region.Polygon(new double[] {x0, x1, x1, x0}, new double[] {y0, y0, y1, y1}, feather);
    }

    static Motion flow(double dx, double dy, double speed) {
        return new Motion(MotionKind.FLOW, dx, dy, speed, NAN, NAN, NAN, NAN, true);
    }

    @Test
    void polygonMaskIsOneInsideZeroOutside() {
        float[] m = Masks.of(rect(10, 10, 30, 20, 0), 40, 30, 40, 30);
        assertEquals(1f, m[15 * 40 + 10], "first column inside");
        assertEquals(1f, m[19 * 40 + 29], "last pixel inside");
        assertEquals(0f, m[15 * 40 + 9]);
        assertEquals(0f, m[20 * 40 + 15]);
        assertEquals(0f, m[0]);
        // half a pixel covered: anti-aliased
        float[] half = Masks.of(rect(10.5, 10, 30, 20, 0), 40, 30, 40, 30);
        assertEquals(0.5f, half[15 * 40 + 10], 0.05f);
    }

    @Test
    void featherRampsOverItsWidthEitherSideOfTheOutline() {
        int f = 4;
        float[] m = Masks.of(rect(0, 0, 20, 30, f), 40, 30, 40, 30); // the left half; its right edge at x = 20
        int row = 15 * 40;
        assertEquals(1f, m[row + 20 - f - 1], 1e-6f, "centre more than feather px inside: fully painted");
        assertTrue(m[row + 20 - f] < 1f, "centre 3.5 px inside: on the ramp");
        assertEquals(1f, m[row + 5], 1e-6f);
        assertEquals(0f, m[row + 20 + f], 1e-6f, "centre 4.5 px outside: not painted");
        assertTrue(m[row + 20 + f - 1] > 0f, "centre 3.5 px outside: on the ramp");
        assertEquals(0f, m[row + 35], 1e-6f);
        // symmetric about the outline: pixels 19 and 20 straddle it
        assertEquals(1f, m[row + 19] + m[row + 20], 1e-5f);
        assertTrue(m[row + 19] > 0.5f && m[row + 20] < 0.5f);
        for (int x = 16; x < 24; x++) {
            assertTrue(m[row + x] >= m[row + x + 1], "falls monotonically across the edge at x=" + x);
        }
        // the still's border is extended, so the painted left edge stays fully painted
        assertEquals(1f, m[row], 1e-6f);
        assertEquals(1f, m[0], 1e-6f);
    }

    @Test
    void flowIsSpeedOverFpsInsideAndZeroOutside() {
        List<Brush> b = List.of(new Brush(1, rect(10, 10, 30, 20, 0), flow(-1, 0, 50), null));
        MotionFields f = MotionFields.build(b, new int[] {40, 30}, 40, 30, 25, 50, true);
        int in = 15 * 40 + 20;
        assertEquals(-2f, f.flow()[2 * in], 1e-6f, "50 px/s at 25 fps = 2 px per frame");
        assertEquals(0f, f.flow()[2 * in + 1]);
        assertEquals(0f, f.flow()[2 * (5 * 40 + 5)], "unpainted");
        for (float w : f.wave()) {
            assertEquals(0f, w);
        }
        assertEquals(40 * 30 * 2 * 4, f.flowBytes().capacity());
        assertEquals(-2f, f.flowBytes().order(ByteOrder.LITTLE_ENDIAN).getFloat(8 * in), 1e-6f);
    }

    @Test
    void coordinatesAndSpeedsScaleToTheOutputSize() {
        // a 40x30 still rendered at 80x90: x doubles, y triples
        List<Brush> b = List.of(new Brush(1, rect(10, 10, 30, 20, 0), flow(0.6, 0.8, 25), null));
        MotionFields f = MotionFields.build(b, new int[] {40, 30}, 80, 90, 25, 10, false);
        int in = 45 * 80 + 40;
        assertEquals(0.6 * 2, f.flow()[2 * in], 1e-5);
        assertEquals(0.8 * 3, f.flow()[2 * in + 1], 1e-5);
        assertEquals(0f, f.flow()[2 * (29 * 80 + 40)], "row 29 is y = 9.67 in the still: outside");
        assertEquals(0.8 * 3, f.flow()[2 * (30 * 80 + 40) + 1], 1e-5, "row 30 is y = 10.17: inside");
    }

    @Test
    void staticBrushesHoldTheirRegionWithoutStoppingTheMotionAndLaterBrushesWin() {
        List<Brush> b = List.of(
                new Brush(1, rect(0, 0, 40, 30, 0), flow(1, 0, 25), null),
                new Brush(2, rect(0, 0, 10, 30, 0), null, null),
                new Brush(3, rect(30, 0, 40, 30, 0), flow(0, 1, 50), null));
        MotionFields f = MotionFields.build(b, new int[] {40, 30}, 40, 30, 25, 50, true);
        int row = 10 * 40;
        assertEquals(1f, f.flow()[2 * (row + 5)], 1e-6f, "the flow runs on under the static brush");
        assertEquals(1f, f.hold()[row + 5], "the static brush holds its region");
        assertEquals(1f, f.flow()[2 * (row + 20)], 1e-6f, "the first brush where nothing covers it");
        assertEquals(0f, f.hold()[row + 20], "not held outside the static brush");
        assertEquals(0f, f.flow()[2 * (row + 35)], 1e-6f, "the third brush replaces the first");
        assertEquals(2f, f.flow()[2 * (row + 35) + 1], 1e-6f);
        // a moving brush laid over a static one takes the hold away
        List<Brush> over = List.of(new Brush(1, rect(0, 0, 20, 30, 0), null, null), new Brush(2, rect(10, 0, 40, 30, 0), flow(1, 0, 25), null));
        f = MotionFields.build(over, new int[] {40, 30}, 40, 30, 25, 50, true);
        assertEquals(1f, f.hold()[row + 5]);
        assertEquals(0f, f.flow()[2 * (row + 5)], "a static brush over nothing moving: no motion there");
        assertEquals(0f, f.hold()[row + 15], "the later moving brush wins");
        assertEquals(1f, f.flow()[2 * (row + 15)], 1e-6f);
        // a feathered static brush: the hold ramps, 0.5 at the outline, and the motion is untouched
        List<Brush> soft = List.of(new Brush(1, rect(0, 0, 40, 30, 0), flow(1, 0, 25), null),
                new Brush(2, rect(0, 0, 20, 30, 3), null, null));
        f = MotionFields.build(soft, new int[] {40, 30}, 40, 30, 25, 50, true);
        assertEquals(1f, f.hold()[row + 10], 1e-6f);
        assertEquals(0f, f.hold()[row + 30], 1e-6f);
        assertEquals(1f, f.hold()[row + 19] + f.hold()[row + 20], 1e-5f, "0.5 at the outline, pixel pairs sum to 1");
        assertTrue(f.hold()[row + 19] > 0 && f.hold()[row + 19] < 1, "soft");
        for (int x = 0; x < 40; x++) {
            assertEquals(1f, f.flow()[2 * (row + x)], 1e-6f, "flow at x = " + x);
        }
    }

    @Test
    void swayAndRippleFillTheWaveField() {
        Motion sway = new Motion(MotionKind.SWAY, 0, 1, NAN, NAN, 3, 2.0, NAN, true);
        Motion ripple = new Motion(MotionKind.RIPPLE, 0, 0, 10, NAN, 1.5, 1.0, NAN, true);
        List<Brush> b = List.of(new Brush(1, rect(0, 0, 20, 30, 0), sway, null), new Brush(2, rect(21, 1, 39, 29, 0), ripple, null));
        // 60 frames at 25 fps: a 2 s period is 50 frames; looping rounds it to 60 (one period in the clip)
        MotionFields f = MotionFields.build(b, new int[] {40, 30}, 40, 30, 25, 60, true);
        int p = 4 * (10 * 40 + 5);
        assertEquals(0f, f.wave()[p], 1e-6f);
        assertEquals(3f, f.wave()[p + 1], 1e-6f);
        assertEquals(0f, f.wave()[p + 2], 1e-6f, "sway: one phase over the region");
        assertEquals(60f, f.wave()[p + 3], 1e-4f);
        assertEquals(0f, f.flow()[2 * (10 * 40 + 5)], "a wave brush has no drift");
        // ripple centred at (30, 15): a pixel to its right is pushed along +x with phase 2 pi r / wavelength
        int q = 4 * (15 * 40 + 35); // centre of pixel (35, 15) is (35.5, 15.5)
        double r = Math.hypot(5.5, 0.5);
        double periodFrames = 60.0 / 2; // 1 s = 25 frames, rounded to divide 60
        double wavelength = 10 * periodFrames / 25;
        assertEquals(1.5 * 5.5 / r, f.wave()[q], 1e-4);
        assertEquals(1.5 * 0.5 / r, f.wave()[q + 1], 1e-4);
        assertEquals(2 * Math.PI * r / wavelength, f.wave()[q + 2], 1e-4);
        assertEquals(periodFrames, f.wave()[q + 3], 1e-4);
        // unlooped: the period is as given
        assertEquals(25.0, MotionFields.periodFrames(1.0, 25, 60, false), 1e-12);
        assertEquals(27.5, MotionFields.periodFrames(1.0, 25, 110, true), 1e-12, "4.4 periods in the clip: rounded to 4");
    }

    @Test
    void rotateAndZoomAreAboutTheRegionCentre() {
        Motion rotate = new Motion(MotionKind.ROTATE, 0, 0, 10, NAN, NAN, NAN, NAN, true);
        List<Brush> b = List.of(new Brush(1, rect(0, 0, 40, 40, 0), rotate, null));
        MotionFields f = MotionFields.build(b, new int[] {40, 40}, 40, 40, 10, 20, true);
        double radius = Math.hypot(19.5, 19.5); // centre (20, 20); the farthest pixel centre is a corner's
        int right = 2 * (19 * 40 + 39); // (39.5, 19.5)
        double omega = 10 / radius / 10; // rad per frame
        assertEquals(-omega * -0.5, f.flow()[right], 1e-5);
        assertEquals(omega * 19.5, f.flow()[right + 1], 1e-5, "right of the centre moves down: clockwise on screen");
        Motion zoom = new Motion(MotionKind.ZOOM, 0, 0, NAN, NAN, NAN, NAN, 0.5, true);
        f = MotionFields.build(List.of(new Brush(1, rect(0, 0, 40, 40, 0), zoom, null)), new int[] {40, 40}, 40, 40, 10, 20, true);
        assertEquals(0.05 * 19.5, f.flow()[right], 1e-5, "rate 0.5/s at 10 fps: 5 % of the distance per frame");
        assertEquals(0.05 * -0.5, f.flow()[right + 1], 1e-5);
    }

    @Test
    void maskImagesAreResampledToTheOutput() {
        float[] alpha = new float[4 * 2];
        alpha[1] = 1; // pixel (1, 0)
        Region.Mask m = new Region.Mask(java.nio.file.Path.of("m.png"), alpha, 4, 2, 0);
        float[] out = Masks.of(m, 4, 2, 8, 4);
        // output pixel (2, 0) sits at still x = 0.75: three quarters of pixel 1
        assertEquals(0.75f, out[2], 1e-6f);
        assertEquals(0.75f, out[3], 1e-6f);
        assertEquals(0.25f, out[4], 1e-6f);
        assertEquals(0f, out[7], 1e-6f);
        assertEquals(1f, Masks.of(m, 4, 2, 4, 2)[1]);
    }
}

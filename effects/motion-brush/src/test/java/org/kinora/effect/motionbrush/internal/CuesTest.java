package org.kinora.effect.motionbrush.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Cues map to the kinds, directions and speeds {@link Cues} documents. */
class CuesTest {

    static void is(Motion m, MotionKind kind, double dx, double dy) {
        assertEquals(kind, m.kind());
        assertEquals(dx, m.dx(), 1e-12, "dx");
        assertEquals(dy, m.dy(), 1e-12, "dy");
    }

    @Test
    void subjectsPickTheKind() {
        is(Cues.parse("water flowing left"), MotionKind.FLOW, -1, 0);
        assertEquals(Cues.FLOW_SPEED, Cues.parse("water flowing left").speed());
        is(Cues.parse("River, to the RIGHT"), MotionKind.FLOW, 1, 0);
        is(Cues.parse("smoke rising"), MotionKind.FLOW, 0, -1);
        is(Cues.parse("smoke"), MotionKind.FLOW, 0, -1);
        is(Cues.parse("a waterfall"), MotionKind.FLOW, 0, 1);
        is(Cues.parse("clouds drifting slowly to the right"), MotionKind.FLOW, 1, 0);
        assertEquals(Cues.FLOW_SPEED / 2, Cues.parse("clouds drifting slowly to the right").speed());
        is(Cues.parse("flag waving gently"), MotionKind.SWAY, 1, 0);
        is(Cues.parse("leaves swaying"), MotionKind.SWAY, 1, 0);
        is(Cues.parse("grass"), MotionKind.SWAY, 1, 0);
        is(Cues.parse("pond ripples"), MotionKind.RIPPLE, 0, 0);
        is(Cues.parse("lake"), MotionKind.RIPPLE, 0, 0);
        is(Cues.parse("windmill turning"), MotionKind.ROTATE, 0, 0);
    }

    @Test
    void theSubjectWinsOverTheVerb() {
        // "waving" alone is sway, but the water decides
        is(Cues.parse("water waving down"), MotionKind.FLOW, 0, 1);
        is(Cues.parse("drifting up"), MotionKind.FLOW, 0, -1);
        is(Cues.parse("swaying"), MotionKind.SWAY, 1, 0);
        is(Cues.parse("spinning"), MotionKind.ROTATE, 0, 0);
        is(Cues.parse("zooming"), MotionKind.ZOOM, 0, 0);
    }

    @Test
    void speedsAndDirectionsCombine() {
        double s = Math.sqrt(0.5);
        is(Cues.parse("clouds drifting up and to the right"), MotionKind.FLOW, s, -s);
        assertEquals(Cues.FLOW_SPEED * 2, Cues.parse("river flowing fast").speed());
        assertEquals(Cues.FLOW_SPEED, Cues.parse("river flowing slowly but quickly").speed(), 1e-12);
        // sway: the speed word scales the amplitude (through the peak speed)
        assertEquals(Cues.SWAY_AMPLITUDE / 2, Cues.parse("flag waving gently").amplitudeOver(1), 1e-12);
        assertEquals(Cues.SWAY_AMPLITUDE, Cues.parse("flag waving").amplitudeOver(1), 1e-12);
        assertEquals(Motion.SWAY_PERIOD, Cues.parse("flag waving").period());
        assertTrue(Cues.parse("wheel spinning").clockwise());
        assertFalse(Cues.parse("wheel spinning counterclockwise").clockwise());
        assertEquals(Cues.ZOOM_RATE, Cues.parse("zooming").rate(), 1e-12);
        assertEquals(-Cues.ZOOM_RATE * 2, Cues.parse("shrinking fast").rate(), 1e-12);
    }

    @Test
    void noKindWordListsTheUnderstoodWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cues.parse("a nice sunny day"));
        assertTrue(e.getMessage().contains("'a nice sunny day' names no motion"), e.getMessage());
        for (String w : new String[] {"water", "flag", "pond", "flowing", "waving", "left", "rising", "slowly", "quickly"}) {
            assertTrue(e.getMessage().contains(w), w + " in " + e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Cues.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> Cues.parse("water ".repeat(50)));
    }
}

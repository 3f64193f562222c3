package org.kinora.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kinora.core.time.FrameRate;

/** The hold/drop rule on synthetic timestamps, including the rounding containers apply. */
class FrameRateMapperTest {

    /** Replays the decoder's loop over source timestamps and returns which source frame each requested frame shows. */
    private static List<Integer> map(FrameRateMapper m, long[] sourceMicros) {
        List<Integer> shown = new ArrayList<>();
        long n = m.first();
        int held = -1;
        for (int k = 0; k < sourceMicros.length && n <= m.last(); k++) {
            if (held >= 0) {
                while (n <= m.last() && m.shownBefore(n, sourceMicros[k])) {
                    shown.add(held);
                    n++;
                }
            }
            held = k;
        }
        while (n <= m.last() && m.withinLast(n, sourceMicros[held])) {
            shown.add(held);
            n++;
        }
        return shown;
    }

    private static long[] times(FrameRate rate, int count, long roundToMicros) {
        long[] t = new long[count];
        for (int i = 0; i < count; i++) {
            t[i] = Math.round((double) rate.microsOf(i) / roundToMicros) * roundToMicros;
        }
        return t;
    }

    @Test
    void sameRateIsIdentity() {
        FrameRateMapper m = new FrameRateMapper(FrameRate.FPS_25, 0, 49, FrameRate.FPS_25);
        List<Integer> shown = map(m, times(FrameRate.FPS_25, 50, 1));
        for (int i = 0; i < 50; i++) {
            assertEquals(i, shown.get(i));
        }
    }

    @Test
    void doubleRateHoldsEachFrameTwice() {
        FrameRateMapper m = new FrameRateMapper(new FrameRate(50, 1), 0, 99, FrameRate.FPS_25);
        List<Integer> shown = map(m, times(FrameRate.FPS_25, 50, 1));
        assertEquals(100, shown.size());
        for (int n = 0; n < 100; n++) {
            assertEquals(n / 2, shown.get(n), "frame " + n);
        }
    }

    @Test
    void ntscInMillisecondTimestampsStaysExact() {
        // Matroska keeps milliseconds: NTSC frame times are off by up to 0.5 ms.
        FrameRateMapper m = new FrameRateMapper(FrameRate.NTSC_30, 0, 299, FrameRate.NTSC_30);
        List<Integer> shown = map(m, times(FrameRate.NTSC_30, 300, 1000));
        for (int n = 0; n < 300; n++) {
            assertEquals(n, shown.get(n), "frame " + n);
        }
    }

    @Test
    void pal25ReadAtNtscHoldsAndDropsByTheFraction() {
        FrameRateMapper m = new FrameRateMapper(FrameRate.NTSC_30, 0, 599, FrameRate.FPS_25);
        List<Integer> shown = map(m, times(FrameRate.FPS_25, 501, 1));
        for (int n = 0; n < 600; n++) {
            assertEquals(n * 1001L * 25 / 30000, (long) shown.get(n), "frame " + n);
        }
    }

    @Test
    void shortfallToleratesTwoFrames() {
        FrameRateMapper m = new FrameRateMapper(FrameRate.FPS_25, 0, 99, FrameRate.FPS_25);
        assertTrue(m.tolerableShortfall(98));
        assertFalse(m.tolerableShortfall(97));
    }

    @Test
    void seeksTwoSourceFramesEarly() {
        FrameRateMapper m = new FrameRateMapper(new FrameRate(50, 1), 100, 120, FrameRate.FPS_25);
        assertEquals(2_000_000 - 80_000, m.seekMicros());
        assertEquals(0, new FrameRateMapper(FrameRate.FPS_25, 1, 2, FrameRate.FPS_25).seekMicros());
    }
}

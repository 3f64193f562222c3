package org.kinora.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FrameRateTest {

    @Test
    void parsesFractionsIntegersAndNtscDecimals() {
        assertEquals(new FrameRate(30000, 1001), FrameRate.parse("30000/1001"));
        assertEquals(new FrameRate(25, 1), FrameRate.parse("25"));
        assertEquals(new FrameRate(30000, 1001), FrameRate.parse("29.97"));
        assertEquals(new FrameRate(24000, 1001), FrameRate.parse("23.976"));
        assertEquals(new FrameRate(25, 2), FrameRate.parse("12.5"));
        assertEquals(new FrameRate(50, 1), new FrameRate(100, 2), "reduced to lowest terms");
        assertEquals("30000/1001", FrameRate.NTSC_30.toString());
        assertEquals("25", FrameRate.FPS_25.toString());
    }

    @Test
    void rejectsNonRates() {
        assertThrows(IllegalArgumentException.class, () -> FrameRate.parse("fast"));
        assertThrows(IllegalArgumentException.class, () -> FrameRate.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> new FrameRate(30, 0));
    }

    @Test
    void frameToTimeAndBackIsExactAtNtscRatesForHoursOfFrames() {
        for (FrameRate r : new FrameRate[] {FrameRate.NTSC_30, new FrameRate(24000, 1001), new FrameRate(60000, 1001), FrameRate.FPS_25}) {
            for (long f = 0; f < 400_000; f += 7) {
                assertEquals(f, r.frameAtMicros(r.microsOf(f)), r + " frame " + f);
                assertEquals(f, r.frameAtSeconds(r.secondsOf(f)), r + " frame " + f);
            }
        }
        assertEquals(1_001_000, FrameRate.NTSC_30.microsOf(30), "30 NTSC frames last 1.001 s");
        assertEquals(3_600_000_000L, FrameRate.FPS_25.microsOf(90_000));
    }
}

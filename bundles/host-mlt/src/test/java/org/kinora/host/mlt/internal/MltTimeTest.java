package org.kinora.host.mlt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kinora.core.time.FrameRate;

class MltTimeTest {

    @Test
    void framesAndClockAt25() {
        assertEquals(125, MltTime.toFrames("125", FrameRate.FPS_25));
        assertEquals(99, MltTime.toFrames("00:00:03.960", FrameRate.FPS_25));
        assertEquals(30249, MltTime.toFrames("00:20:09.960", FrameRate.FPS_25));
        assertEquals(90000, MltTime.toFrames("01:00:00.000", FrameRate.FPS_25));
        assertEquals(125, MltTime.toFrames("00:00:05:00", FrameRate.FPS_25));
    }

    @Test
    void clockIsExactAtNtsc() {
        FrameRate r = FrameRate.NTSC_30;
        // every frame written as MLT's millisecond clock string maps back to itself
        for (long n = 0; n < 200_000; n += 7) {
            long ms = Math.round(n * 1001 * 1000.0 / 30000);
            String clock = String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
            assertEquals(n, MltTime.toFrames(clock, r), clock);
        }
        assertEquals(30, MltTime.toFrames("00:00:01.001", r));
        assertEquals(15, MltTime.toFrames("00:00:00.500", r));
    }

    @Test
    void smpteTimecodeNonDropAndDropFrame() {
        FrameRate r = FrameRate.NTSC_30;
        assertEquals(150, MltTime.toFrames("00:00:05:00", r));
        assertEquals(1800, MltTime.toFrames("00:01:00:00", r));
        assertEquals(1800, MltTime.toFrames("00:01:00;02", r)); // the first label of minute 1
        assertEquals(1799, MltTime.toFrames("00:00:59;29", r));
        assertEquals(17982, MltTime.toFrames("00:10:00;00", r));
        assertEquals(150, MltTime.toFrames("00:00:05;00", r));
    }

    @Test
    void rejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> MltTime.toFrames("abc", FrameRate.FPS_25));
        assertThrows(IllegalArgumentException.class, () -> MltTime.toFrames("", FrameRate.FPS_25));
        assertEquals(7, MltTime.toFrames(null, FrameRate.FPS_25, 7));
    }
}

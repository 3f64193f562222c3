package org.kinora.media.internal;

import java.math.BigInteger;

import org.kinora.core.time.FrameRate;

/**
 * Maps the frames of a source stream onto requested frames at another (or the same) rate.
 * <p>
 * Requested frame {@code n} is the picture on screen at time {@code n / rate}: the last source frame whose timestamp is
 * at or before that time. Converting 25 fps to 50 fps therefore shows every source frame twice, 50 to 25 drops every
 * other one, and NTSC 30000/1001 against 25 holds and drops by the exact fraction, never by accumulated doubles.
 * <p>
 * Comparisons are exact rational arithmetic, not microseconds: 25 fps against 30000/1001 has frame times only 33 us
 * apart, closer than any tolerance could tell. Containers round timestamps (Matroska to milliseconds, so an NTSC frame
 * sits up to 0.5 ms off its exact time), so a source timestamp within {@link #SNAP_MICROS} of the source rate's grid is
 * taken to be exactly that grid point {@code k / sourceRate}. Timestamps off the grid (variable frame rate) are compared
 * as they are.
 */
final class FrameRateMapper {

    /**
     * How many requested frames past the end of the stream are filled by repeating its last frame. Container durations
     * are often rounded (to milliseconds, or to the audio's length), so a range computed from the probed duration may
     * reach one or two frames beyond the last decodable picture; more than that is a real error.
     */
    static final int MAX_SHORT_FRAMES = 2;

    /** Largest rounding we undo: half of Matroska's millisecond, with margin. */
    static final long SNAP_MICROS = 1000;

    private final FrameRate rate;
    private final FrameRate sourceRate;
    private final long first;
    private final long last;
    private final long sourceFrameMicros;
    private final long snapMicros;

    /**
     * @param rate       the rate requested frames are numbered at
     * @param first      first requested frame
     * @param last       last requested frame, inclusive
     * @param sourceRate the stream's nominal rate (to know how long its last frame lasts)
     */
    FrameRateMapper(FrameRate rate, long first, long last, FrameRate sourceRate) {
        this.rate = rate;
        this.sourceRate = sourceRate;
        this.first = first;
        this.last = last;
        this.sourceFrameMicros = Math.max(1, sourceRate.microsOf(1));
        this.snapMicros = Math.min(SNAP_MICROS, sourceFrameMicros / 4);
    }

    /** Time at which requested frame {@code n} is shown. */
    long timeOf(long n) {
        return rate.microsOf(n);
    }

    /**
     * Where to seek so that the picture shown at the first requested frame is decoded: two source frames early, because
     * seeking lands on the first frame at or after the target and the wanted one starts before it.
     */
    long seekMicros() {
        return Math.max(0, timeOf(first) - 2 * sourceFrameMicros);
    }

    /**
     * Whether requested frame {@code n} is shown before a source frame starting at {@code sourceMicros}, i.e. whether
     * the previously decoded picture covers it.
     */
    boolean shownBefore(long n, long sourceMicros) {
        long k = sourceRate.frameAtMicros(sourceMicros);
        if (Math.abs(sourceMicros - sourceRate.microsOf(k)) <= snapMicros) {
            // n / rate < k / sourceRate, in integers: n * rate.den * src.num < k * src.den * rate.num
            BigInteger lhs = BigInteger.valueOf(n).multiply(BigInteger.valueOf(rate.denominator()))
                    .multiply(BigInteger.valueOf(sourceRate.numerator()));
            BigInteger rhs = BigInteger.valueOf(k).multiply(BigInteger.valueOf(sourceRate.denominator()))
                    .multiply(BigInteger.valueOf(rate.numerator()));
            return lhs.compareTo(rhs) < 0;
        }
        return timeOf(n) < sourceMicros;
    }

    /**
     * Whether requested frame {@code n} still falls inside the last decoded frame that started at {@code lastMicros},
     * which lasts one nominal source frame.
     */
    boolean withinLast(long n, long lastMicros) {
        return shownBefore(n, lastMicros + sourceFrameMicros);
    }

    /** Whether the frames {@code n..last} missing at the end are few enough to fill with the last picture. */
    boolean tolerableShortfall(long n) {
        return last - n + 1 <= MAX_SHORT_FRAMES;
    }

    long first() {
        return first;
    }

    long last() {
        return last;
    }

    FrameRate rate() {
        return rate;
    }
}

package org.kinora.core.time;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.math.BigDecimal;

/**
 * A frame rate as an exact rational number of frames per second, e.g. {@code 30000/1001} for NTSC 29.97.
 * All time conversions round to the nearest frame or microsecond so that frame {@code n} always maps back to {@code n}.
 *
 * @param numerator   frames, positive
 * @param denominator seconds, positive
 */
public record FrameRate(long numerator, long denominator) {

    /** 25 fps (PAL). */
    public static final FrameRate FPS_25 = new FrameRate(25, 1);
    /** 30000/1001 fps (NTSC 29.97). */
    public static final FrameRate NTSC_30 = new FrameRate(30000, 1001);

    public FrameRate {
        if (numerator <= 0 || denominator <= 0) {
            throw new IllegalArgumentException("frame rate must be positive: " + numerator + "/" + denominator);
        }
        long g = BigInteger.valueOf(numerator).gcd(BigInteger.valueOf(denominator)).longValue();
        numerator /= g;
        denominator /= g;
    }

    /**
     * Parses {@code "30000/1001"}, {@code "25"} or {@code "29.97"} (decimal rates are snapped to the usual NTSC fractions).
     *
     * @throws IllegalArgumentException when the text is not a positive rate
     */
    public static FrameRate parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        try {
            if (slash > 0) {
                return new FrameRate(Long.parseLong(t.substring(0, slash).trim()), Long.parseLong(t.substring(slash + 1).trim()));
            }
            BigDecimal d = new BigDecimal(t);
            if (d.scale() <= 0) {
                return new FrameRate(d.longValueExact(), 1);
            }
            for (long base : new long[] {24, 30, 48, 60, 120}) {
                if (Math.abs(d.doubleValue() - base * 1000.0 / 1001.0) < 0.01) {
                    return new FrameRate(base * 1000, 1001);
                }
            }
            BigDecimal scaled = d.movePointRight(d.scale());
            return new FrameRate(scaled.longValueExact(), BigInteger.TEN.pow(d.scale()).longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a frame rate: '" + text + "'");
        }
    }

    /** Frames per second as a double, for display and rough estimates only. */
    public double fps() {
        return (double) numerator / denominator;
    }

    /** Start time of frame {@code frame} in microseconds, rounded to the nearest microsecond. */
    public long microsOf(long frame) {
        return divRound(BigInteger.valueOf(frame).multiply(BigInteger.valueOf(denominator)).multiply(BigInteger.valueOf(1_000_000)),
                BigInteger.valueOf(numerator));
    }

    /** Start time of frame {@code frame} in seconds. */
    public double secondsOf(long frame) {
        return frame * (double) denominator / numerator;
    }

    /** The frame shown at {@code micros} microseconds (the frame whose start is nearest). */
    public long frameAtMicros(long micros) {
        return divRound(BigInteger.valueOf(micros).multiply(BigInteger.valueOf(numerator)),
                BigInteger.valueOf(denominator).multiply(BigInteger.valueOf(1_000_000)));
    }

    /** The frame shown at {@code seconds} (nearest frame start). */
    public long frameAtSeconds(double seconds) {
        return Math.round(seconds * numerator / denominator);
    }

    private static long divRound(BigInteger num, BigInteger den) {
        return new BigDecimal(num).divide(new BigDecimal(den), 0, RoundingMode.HALF_UP).longValueExact();
    }

    /** {@code "30000/1001"}, or {@code "25"} for whole rates. */
    @Override
    public String toString() {
        return denominator == 1 ? Long.toString(numerator) : numerator + "/" + denominator;
    }
}

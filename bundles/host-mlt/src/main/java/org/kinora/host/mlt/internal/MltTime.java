package org.kinora.host.mlt.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.kinora.core.time.FrameRate;

/**
 * MLT time values as frame numbers at the profile's exact rate.
 *
 * <p>MLT accepts three spellings and both editors rewrite frame numbers as clock strings on save:
 * plain frames ({@code 125}), clock time {@code hh:mm:ss.mmm} (seconds, converted at the exact rational rate, so
 * {@code 00:00:01.001} is frame 30 at 30000/1001) and SMPTE timecode {@code hh:mm:ss:ff} ({@code ;} before the
 * frames means drop-frame), which counts in the rounded nominal rate, as MLT's {@code mlt_property} does.
 * Kinora writes plain frame numbers: they are exact at every rate.
 */
final class MltTime {

    private MltTime() {
    }

    /**
     * @throws IllegalArgumentException when the value is not an MLT time
     */
    static long toFrames(String value, FrameRate rate) {
        String v = value.trim();
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty time value");
        }
        try {
            boolean hasColon = v.indexOf(':') >= 0 || v.indexOf(';') >= 0;
            if (!hasColon) {
                if (v.indexOf('.') >= 0) {
                    // a fractional frame count: MLT truncates through atoi-like parsing; round to be safe
                    return new BigDecimal(v).setScale(0, RoundingMode.HALF_UP).longValueExact();
                }
                return Long.parseLong(v);
            }
            if (v.indexOf('.') >= 0 || v.indexOf(',') >= 0) {
                return clock(v.replace(',', '.'), rate);
            }
            return timecode(v, rate);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not an MLT time: '" + value + "'");
        }
    }

    /** Like {@link #toFrames} but {@code fallback} for a missing value. */
    static long toFrames(String value, FrameRate rate, long fallback) {
        return value == null || value.isBlank() ? fallback : toFrames(value, rate);
    }

    private static long clock(String v, FrameRate rate) {
        String[] parts = v.split(":");
        BigDecimal seconds = new BigDecimal(parts[parts.length - 1]);
        long minutes = parts.length >= 2 ? Long.parseLong(parts[parts.length - 2]) : 0;
        long hours = parts.length >= 3 ? Long.parseLong(parts[parts.length - 3]) : 0;
        boolean negative = v.startsWith("-");
        BigDecimal total = seconds.abs().add(BigDecimal.valueOf(Math.abs(hours) * 3600 + Math.abs(minutes) * 60));
        BigDecimal frames = total.multiply(BigDecimal.valueOf(rate.numerator()))
                .divide(BigDecimal.valueOf(rate.denominator()), 0, RoundingMode.HALF_EVEN);
        long f = frames.longValueExact();
        return negative ? -f : f;
    }

    private static long timecode(String v, FrameRate rate) {
        boolean drop = v.indexOf(';') >= 0;
        String[] parts = v.split("[:;]");
        long frames = Long.parseLong(parts[parts.length - 1]);
        long seconds = parts.length >= 2 ? Long.parseLong(parts[parts.length - 2]) : 0;
        long minutes = parts.length >= 3 ? Long.parseLong(parts[parts.length - 3]) : 0;
        long hours = parts.length >= 4 ? Long.parseLong(parts[parts.length - 4]) : 0;
        long nominal = Math.round(rate.fps());
        long total = (hours * 3600 + minutes * 60 + seconds) * nominal + frames;
        if (drop) {
            // SMPTE drop-frame: skip 2 (4 at 60 fps) frame numbers every minute except every tenth minute
            long dropPerMinute = Math.round(rate.fps() * 0.066666);
            long totalMinutes = hours * 60 + minutes;
            total -= dropPerMinute * (totalMinutes - totalMinutes / 10);
        }
        return total;
    }

    static String frames(long frames) {
        return Long.toString(frames);
    }
}

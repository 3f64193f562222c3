package org.kinora.core.job;

/**
 * How far a job has come.
 *
 * @param done            units (frames) done
 * @param total           units in all, 0 when unknown
 * @param unitsPerSecond  recent throughput
 * @param secondsLeft     estimated time left, negative when unknown
 */
public record Progress(long done, long total, double unitsPerSecond, double secondsLeft) {
    /** Nothing done yet. */
    public static final Progress NONE = new Progress(0, 0, 0, -1);

    /** Fraction done in [0, 1], 0 when the total is unknown. */
    public double fraction() {
        return total <= 0 ? 0 : Math.min(1.0, (double) done / total);
    }
}

package org.kinora.effect.pose.internal.track;

/**
 * The 1 Euro filter (Casiez, Roussel and Vogel, "1 Euro Filter: A Simple Speed-based Low-pass Filter for Noisy Input in
 * Interactive Systems", CHI 2012): an exponential low-pass whose cutoff rises with the signal's speed, so slow movement
 * is smoothed hard (no jitter) and fast movement passes with little lag. One value, sampled at a fixed rate.
 */
final class OneEuroFilter {

    /** The cutoff of the speed estimate's own low-pass, as the paper recommends. */
    private static final double DERIVATIVE_CUTOFF_HZ = 1.0;

    private final double rate;
    private final double minCutoff;
    private final double beta;
    private boolean started;
    private double value;
    private double speed;

    /**
     * @param rate      samples per second
     * @param minCutoff cutoff in Hz when the value stands still
     * @param beta      how much the cutoff rises per unit/s of speed
     */
    OneEuroFilter(double rate, double minCutoff, double beta) {
        this.rate = rate;
        this.minCutoff = minCutoff;
        this.beta = beta;
    }

    /** Forgets the past: the next sample passes unchanged. */
    void reset() {
        started = false;
    }

    double filter(double x) {
        if (!started) {
            started = true;
            value = x;
            speed = 0;
            return x;
        }
        double rawSpeed = (x - value) * rate;
        speed += alpha(DERIVATIVE_CUTOFF_HZ) * (rawSpeed - speed);
        double cutoff = minCutoff + beta * Math.abs(speed);
        value += alpha(cutoff) * (x - value);
        return value;
    }

    private double alpha(double cutoff) {
        double tau = 1 / (2 * Math.PI * cutoff);
        return 1 / (1 + tau * rate);
    }
}

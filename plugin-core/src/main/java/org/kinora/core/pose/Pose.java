package org.kinora.core.pose;

import java.util.Arrays;

/**
 * The keypoints of one person in one frame, indexed by {@link Joint#ordinal()}: position in pixels of the track's
 * frame (x to the right, y down, pixel centres) and a confidence in [0, 1], where 0 means the joint was not seen (its
 * position is then meaningless). The arrays are copied in and out; a pose is immutable.
 */
public final class Pose {

    private final float[] x;
    private final float[] y;
    private final float[] score;

    /**
     * @throws IllegalArgumentException when an array does not have {@link Joint#COUNT} values, a seen joint's position is
     *                                  not finite, or a score is outside [0, 1]
     */
    public Pose(float[] x, float[] y, float[] score) {
        if (x.length != Joint.COUNT || y.length != Joint.COUNT || score.length != Joint.COUNT) {
            throw new IllegalArgumentException("a pose has " + Joint.COUNT + " joints, got " + x.length + "/" + y.length + "/" + score.length);
        }
        for (int j = 0; j < Joint.COUNT; j++) {
            if (!(score[j] >= 0 && score[j] <= 1)) {
                throw new IllegalArgumentException(Joint.values()[j].key() + ": score " + score[j] + " is not in [0, 1]");
            }
            if (score[j] > 0 && !(Float.isFinite(x[j]) && Float.isFinite(y[j]))) {
                throw new IllegalArgumentException(Joint.values()[j].key() + ": position (" + x[j] + ", " + y[j] + ") is not a number");
            }
        }
        this.x = x.clone();
        this.y = y.clone();
        this.score = score.clone();
    }

    /** A pose with no joint seen. */
    public static Pose empty() {
        return new Pose(new float[Joint.COUNT], new float[Joint.COUNT], new float[Joint.COUNT]);
    }

    public float x(Joint j) {
        return x[j.ordinal()];
    }

    public float y(Joint j) {
        return y[j.ordinal()];
    }

    public float score(Joint j) {
        return score[j.ordinal()];
    }

    /** Whether the joint was seen with at least that confidence. */
    public boolean seen(Joint j, float minScore) {
        return score[j.ordinal()] > 0 && score[j.ordinal()] >= minScore;
    }

    public float[] xs() {
        return x.clone();
    }

    public float[] ys() {
        return y.clone();
    }

    public float[] scores() {
        return score.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pose p && Arrays.equals(x, p.x) && Arrays.equals(y, p.y) && Arrays.equals(score, p.score);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(x) + Arrays.hashCode(y)) + Arrays.hashCode(score);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Pose[");
        for (Joint j : Joint.values()) {
            if (score[j.ordinal()] > 0) {
                b.append(j.key()).append('=').append(String.format(java.util.Locale.ROOT, "(%.1f,%.1f,%.2f) ", x[j.ordinal()], y[j.ordinal()], score[j.ordinal()]));
            }
        }
        return b.append(']').toString();
    }
}

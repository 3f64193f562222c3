package org.kinora.effect.pose.internal.rig;

import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;

/**
 * Points of a pose as the rig sees them: the 17 joints plus the pelvis (midpoint of the hips) and the neck (midpoint of
 * the shoulders), and the two ends of each {@link Bone}.
 */
final class Skeleton2d {

    /** Index of the pelvis in a point array: after the 17 joints. */
    static final int PELVIS = Joint.COUNT;
    /** Index of the neck. */
    static final int NECK = Joint.COUNT + 1;
    /** Points per pose. */
    static final int POINTS = Joint.COUNT + 2;

    private Skeleton2d() {
    }

    /** Index of a bone's first point. */
    static int start(Bone b) {
        if (b.from() != null) {
            return b.from().ordinal();
        }
        return b.fromNeck() ? NECK : PELVIS;
    }

    /** Index of a bone's second point. */
    static int end(Bone b) {
        return b.to() == null ? NECK : b.to().ordinal();
    }

    /** The bone ending where {@code b} starts, or {@code null} for the bones that start at the pelvis. */
    static Bone parent(Bone b) {
        int s = start(b);
        for (Bone p : Bone.values()) {
            if (end(p) == s) {
                return p;
            }
        }
        return null;
    }

    /** {x, y} per point and whether each point was seen (score at least {@code minScore}). */
    static double[][] points(Pose pose, float minScore, boolean[] seen) {
        double[][] p = new double[POINTS][2];
        for (Joint j : Joint.values()) {
            p[j.ordinal()][0] = pose.x(j);
            p[j.ordinal()][1] = pose.y(j);
            seen[j.ordinal()] = pose.seen(j, minScore);
        }
        mid(p, seen, PELVIS, Joint.LEFT_HIP, Joint.RIGHT_HIP);
        mid(p, seen, NECK, Joint.LEFT_SHOULDER, Joint.RIGHT_SHOULDER);
        return p;
    }

    private static void mid(double[][] p, boolean[] seen, int at, Joint a, Joint b) {
        p[at][0] = (p[a.ordinal()][0] + p[b.ordinal()][0]) / 2;
        p[at][1] = (p[a.ordinal()][1] + p[b.ordinal()][1]) / 2;
        seen[at] = seen[a.ordinal()] && seen[b.ordinal()];
    }

    static double length(double[][] p, Bone b) {
        double[] s = p[start(b)];
        double[] e = p[end(b)];
        return Math.hypot(e[0] - s[0], e[1] - s[1]);
    }

    static double angle(double[][] p, Bone b) {
        double[] s = p[start(b)];
        double[] e = p[end(b)];
        return Math.atan2(e[1] - s[1], e[0] - s[0]);
    }
}

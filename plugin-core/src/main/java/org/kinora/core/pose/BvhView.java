package org.kinora.core.pose;

import java.util.Locale;

/**
 * The camera a BVH capture is projected through to get a 2D track: an orthographic view from the named side of the
 * performer (BVH's usual axes: y up, the performer facing +z in the rest pose).
 */
public enum BvhView {
    /** Looking at the performer's front (from +z): their left is on the picture's right. */
    FRONT,
    /** From behind (from -z). */
    BACK,
    /** From the performer's left (from +x). */
    LEFT,
    /** From the performer's right (from -x). */
    RIGHT;

    /** The word users type. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}

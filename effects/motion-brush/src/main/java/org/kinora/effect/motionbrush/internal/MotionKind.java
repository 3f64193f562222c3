package org.kinora.effect.motionbrush.internal;

import java.util.Locale;

/** How a painted region moves. */
public enum MotionKind {
    /** Steady drift along a direction (water, clouds, smoke): a constant velocity field. */
    FLOW,
    /** Back-and-forth oscillation along a direction (a flag, leaves): a wave with one phase over the region. */
    SWAY,
    /** Waves travelling outward from the region's centre (or along a direction): a wave whose phase grows with distance. */
    RIPPLE,
    /** Turning around the region's centre: a rotational velocity field. */
    ROTATE,
    /** Expanding (or, with a negative rate, contracting) about the region's centre: a radial velocity field. */
    ZOOM;

    /** The word used in brush files. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

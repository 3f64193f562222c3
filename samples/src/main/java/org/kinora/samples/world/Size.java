package org.kinora.samples.world;

/** The object's size, as a fraction of the frame's shorter side (its diameter, side or base width). */
public enum Size {
    /** About a fifth of the shorter side. */
    SMALL(0.18),
    /** About a third of the shorter side. */
    LARGE(0.32);

    private final double fraction;

    Size(double fraction) {
        this.fraction = fraction;
    }

    /** @return the object's extent as a fraction of the frame's shorter side */
    public double fraction() {
        return fraction;
    }
}

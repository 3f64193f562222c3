package org.kinora.samples.world;

/** The object's size, as a fraction of the frame's shorter side (its diameter, side or base width). */
public enum Size {
    /** About a fifth of the shorter side (0.22). */
    SMALL(0.22),
    /** About a third of the shorter side (0.36). */
    LARGE(0.36);

    private final double fraction;

    Size(double fraction) {
        this.fraction = fraction;
    }

    /** @return the object's extent as a fraction of the frame's shorter side */
    public double fraction() {
        return fraction;
    }
}

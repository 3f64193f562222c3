package org.kinora.effect.motionbrush.internal;

/**
 * A brush's motion, in still pixels and seconds, as given in the brush file (or derived from a cue). Values that depend
 * on the clip (a path's speed) or on the region (rotation, zoom) are resolved when the fields are built.
 *
 * @param kind       the kind of motion
 * @param dx         unit direction x (0 with {@code dy} 0 when the kind has no direction: radial ripple, rotate, zoom)
 * @param dy         unit direction y (screen y points down)
 * @param speed      px/s: flow speed, sway's peak speed, ripple's wave speed, rotate's speed at the region's edge, zoom's
 *                   speed at the edge; {@code NaN} when a path gives it
 * @param pathLength length of the motion's path in still pixels, travelled once over the clip; {@code NaN} without a path
 * @param amplitude  sway and ripple amplitude in px; {@code NaN} when derived from the speed and period
 * @param period     sway and ripple period in seconds
 * @param rate       zoom rate per second (0.1 = the region grows 10 % per second); {@code NaN} when derived from the speed
 * @param clockwise  rotate: clockwise on screen
 */
public record Motion(MotionKind kind, double dx, double dy, double speed, double pathLength, double amplitude, double period,
        double rate, boolean clockwise) {

    /** Default sway period (s). */
    public static final double SWAY_PERIOD = 2.0;
    /** Default ripple period (s). */
    public static final double RIPPLE_PERIOD = 1.5;
    /** Default ripple amplitude (px). */
    public static final double RIPPLE_AMPLITUDE = 2.0;
    /** Default ripple wave speed (px/s). */
    public static final double RIPPLE_SPEED = 30.0;

    /** The speed in px/s over a clip of {@code seconds}: a path is travelled once over the clip. */
    public double speedOver(double seconds) {
        return Double.isNaN(pathLength) ? speed : pathLength / Math.max(seconds, 1e-9);
    }

    /** Sway and ripple amplitude in px: as given, or the one whose sine has the given peak speed. */
    public double amplitudeOver(double seconds) {
        if (!Double.isNaN(amplitude)) {
            return amplitude;
        }
        return speedOver(seconds) * period / (2 * Math.PI);
    }
}

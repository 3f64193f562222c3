package org.kinora.core.brush;

import java.util.List;

/**
 * What a brush file makes a still do.
 *
 * @param arrows  the motion at the grid's points inside painted regions (none where nothing moves)
 * @param brushes per brush, in file order, what it does, in words (e.g. {@code flow toward (-1.00, 0.00) at 40 px/s},
 *                {@code cue "water flowing left": flow toward (-1.00, 0.00) at 30 px/s}, {@code static: held})
 */
public record MotionSample(List<Arrow> arrows, List<String> brushes) {

    public MotionSample {
        arrows = List.copyOf(arrows);
        brushes = List.copyOf(brushes);
    }

    /**
     * The motion at one point, in still pixels.
     *
     * @param brush      the 1-based index of the brush on top there
     * @param x          the point's x
     * @param y          the point's y
     * @param dx         a steady motion's travel in half a second, or an oscillation's amplitude (its swing either side)
     * @param dy         likewise, y down
     * @param oscillates whether the point swings back and forth (sway, ripple) rather than drifting (flow, rotate, zoom)
     */
    public record Arrow(int brush, double x, double y, double dx, double dy, boolean oscillates) {
    }
}

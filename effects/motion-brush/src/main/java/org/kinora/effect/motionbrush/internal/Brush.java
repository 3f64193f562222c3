package org.kinora.effect.motionbrush.internal;

/**
 * One brush of a brush file: a region and what it does there.
 *
 * @param index  1-based position in the file, used in messages
 * @param region where it paints
 * @param motion how the region moves; {@code null} for a static brush
 * @param cue    the cue text it was made from, or {@code null}
 */
public record Brush(int index, Region region, Motion motion, String cue) {

    /** Whether the brush holds its region still (zero motion under it, over earlier brushes). */
    public boolean isStatic() {
        return motion == null;
    }
}

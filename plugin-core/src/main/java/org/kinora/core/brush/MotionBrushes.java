package org.kinora.core.brush;

import java.nio.file.Path;
import org.kinora.core.KinoraException;

/**
 * Reads brush files as the motion-brush effect does and tells what they make a still do. Registered as an OSGi service
 * by the motion-brush bundle.
 */
public interface MotionBrushes {

    /** Most arrows {@link #sample} gives, whatever the spacing asked for. */
    int MAX_ARROWS = 4096;

    /**
     * The motion a brush file gives a still, from the same fields the effect animates with: at points of a grid, the
     * motion of the brush on top there, and what each brush (a cue included) was understood as.
     *
     * @param brushFile the brush file
     * @param width     the still's width in pixels (the file's coordinate space)
     * @param height    the still's height
     * @param spacing   the grid's spacing in still pixels, at least 1 (made coarser when the grid would exceed
     *                  {@link #MAX_ARROWS} points)
     * @param seconds   the clip's length: a path's speed is its length over it, and waves are fitted to it
     * @throws KinoraException naming the file, the brush and the problem, as the effect would
     */
    MotionSample sample(Path brushFile, int width, int height, int spacing, double seconds) throws KinoraException;
}

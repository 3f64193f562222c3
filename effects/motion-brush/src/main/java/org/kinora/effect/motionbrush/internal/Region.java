package org.kinora.effect.motionbrush.internal;

import java.nio.file.Path;

/** Where a brush paints, in the still's pixels, with an optional feather that softens the edge. */
public sealed interface Region {

    /** Feather width in still pixels: the mask ramps from 0 to 1 over this distance either side of the outline. */
    double feather();

    /**
     * A polygon: vertex {@code i} is {@code (xs[i], ys[i])}; pixel {@code (x, y)} spans {@code [x, x+1) x [y, y+1)}, so
     * {@code [[0,0],[w,0],[w,h],[0,h]]} covers the whole still.
     */
    record Polygon(double[] xs, double[] ys, double feather) implements Region {
    }

    /**
     * A grayscale mask image of the still's size: white (1) is painted, black (0) is not, grays are partial.
     *
     * @param file   the image, resolved against the brush file's folder
     * @param alpha  the mask per still pixel, row-major, in {@code [0, 1]}
     * @param width  the image's width (the still's)
     * @param height the image's height (the still's)
     */
    record Mask(Path file, float[] alpha, int width, int height, double feather) implements Region {
    }
}

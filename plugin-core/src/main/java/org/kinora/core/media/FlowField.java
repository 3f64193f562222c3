package org.kinora.core.media;

import java.nio.FloatBuffer;

/**
 * A dense motion field from {@link OpticalFlow#estimate}: for each pixel of the source frame's grid, row by row from
 * the top, the displacement {@code dx, dy} in pixels (two 32-bit floats per pixel, {@code dx} first; x to the right,
 * y down). The buffer is owned by the field.
 *
 * @param width  width in pixels (the frame's)
 * @param height height in pixels (the frame's)
 * @param dxdy   the displacements; position 0, limit {@code width * height * 2}
 */
public record FlowField(int width, int height, FloatBuffer dxdy) {

    public FlowField {
        long need = (long) width * height * 2;
        if (width <= 0 || height <= 0 || dxdy == null || dxdy.limit() != need) {
            throw new IllegalArgumentException("flow field " + width + "x" + height + " needs " + need + " floats, got "
                    + (dxdy == null ? "none" : dxdy.limit()));
        }
    }

    /** The displacement {@code (dx, dy)} at pixel {@code (x, y)}. */
    public float[] at(int x, int y) {
        int i = (y * width + x) * 2;
        return new float[] {dxdy.get(i), dxdy.get(i + 1)};
    }
}

package org.kinora.samples.world;

/** Where the object moves in the frame (image coordinates: y grows downwards). */
public enum Direction {
    /** Towards smaller x. */
    LEFT(-1, 0),
    /** Towards larger x. */
    RIGHT(1, 0),
    /** Towards the top of the frame. */
    UP(0, -1),
    /** Towards the bottom of the frame. */
    DOWN(0, 1);

    private final int dx;
    private final int dy;

    Direction(int dx, int dy) {
        this.dx = dx;
        this.dy = dy;
    }

    /** @return -1, 0 or 1: the sign of the motion along x */
    public int dx() {
        return dx;
    }

    /** @return -1, 0 or 1: the sign of the motion along y (image rows, downwards positive) */
    public int dy() {
        return dy;
    }

    /** @return true for LEFT and RIGHT */
    public boolean horizontal() {
        return dx != 0;
    }
}

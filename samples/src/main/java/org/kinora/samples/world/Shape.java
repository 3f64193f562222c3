package org.kinora.samples.world;

/** The object's outline. Squares are axis-aligned; triangles stand upright with a base as wide as they are tall. */
public enum Shape {
    /** A disc. */
    CIRCLE,
    /** An axis-aligned square. */
    SQUARE,
    /** An upright triangle, apex at the top, base as wide as its height. */
    TRIANGLE
}

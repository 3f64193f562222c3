package org.kinora.samples.world;

/**
 * The background behind the object. Every backdrop keeps its colours within a narrow band far from every {@link Hue},
 * so the object stands out by colour distance whatever the texture.
 */
public enum Backdrop {
    /** Dark navy with faint stars. */
    NIGHT,
    /** Beige with soft noise. */
    SAND,
    /** Olive green-grey with a grassy texture. */
    GRASS,
    /** A vertical gradient from a mid blue at the top to a paler blue at the bottom. */
    SKY,
    /** Flat mid grey. */
    GREY,
    /** Soft vertical teal-grey stripes. */
    STRIPES
}

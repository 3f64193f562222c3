package org.kinora.samples.world;

/**
 * The object's colour. The values are far apart from each other (at least 110 in RGB distance) and from every {@link
 * Backdrop} colour (at least 80), so a clip's object can be found and its colour named from pixels alone.
 */
public enum Hue {
    /** Red. */
    RED(220, 40, 40),
    /** Green. */
    GREEN(50, 190, 60),
    /** Blue. */
    BLUE(40, 80, 230),
    /** Yellow. */
    YELLOW(240, 215, 40),
    /** White. */
    WHITE(245, 245, 245),
    /** Purple. */
    PURPLE(150, 60, 200);

    private final int r;
    private final int g;
    private final int b;

    Hue(int r, int g, int b) {
        this.r = r;
        this.g = g;
        this.b = b;
    }

    /** @return red, 0..255 */
    public int r() {
        return r;
    }

    /** @return green, 0..255 */
    public int g() {
        return g;
    }

    /** @return blue, 0..255 */
    public int b() {
        return b;
    }

    /** @return the colour packed as 0xRRGGBB */
    public int rgb() {
        return r << 16 | g << 8 | b;
    }
}

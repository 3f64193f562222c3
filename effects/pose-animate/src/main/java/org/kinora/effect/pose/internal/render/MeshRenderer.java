package org.kinora.effect.pose.internal.render;

/**
 * Draws a deformed textured mesh over a background: each triangle, back to front, is scan-converted in the output
 * frame; every pixel it covers maps back (barycentric) to a point of the still, where the still's colour and the
 * character mask are sampled bilinearly and composited over what is already there ("over", with the mask as alpha). So
 * the mesh's margin beyond the silhouette (mask 0) leaves what is behind untouched, and parts in front cover parts
 * behind.
 *
 * <p>This is a small software rasterizer: the mesh has a few thousand triangles and it touches only the character's
 * pixels, which costs less than moving every frame to the inference service's device and back on a CPU machine.
 */
public final class MeshRenderer {

    private final int width;
    private final int height;
    private final byte[] still;
    private final float[] alpha;
    private final byte[] background;

    /**
     * @param still      the still, packed RGB, {@code width x height}
     * @param alpha      the character's mask on the still, {@code width * height} values in [0, 1]
     * @param background the picture behind the character (the still with the character removed), packed RGB
     */
    public MeshRenderer(int width, int height, byte[] still, float[] alpha, byte[] background) {
        if (still.length != width * height * 3 || alpha.length != width * height || background.length != still.length) {
            throw new IllegalArgumentException("still, mask and background differ in size from " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.still = still;
        this.alpha = alpha;
        this.background = background;
    }

    /**
     * Renders one frame into {@code out} (packed RGB, the still's size).
     *
     * @param rest      rest positions of the vertices on the still ({@code x, y} interleaved)
     * @param posed     their positions in this frame
     * @param triangles three vertex indices per triangle, back to front
     */
    public void render(float[] rest, float[] posed, int[] triangles, byte[] out) {
        System.arraycopy(background, 0, out, 0, out.length);
        for (int t = 0; t < triangles.length; t += 3) {
            triangle(rest, posed, triangles[t], triangles[t + 1], triangles[t + 2], out);
        }
    }

    private void triangle(float[] rest, float[] posed, int i0, int i1, int i2, byte[] out) {
        double area = edge(posed[2 * i0], posed[2 * i0 + 1], posed[2 * i1], posed[2 * i1 + 1], posed[2 * i2], posed[2 * i2 + 1]);
        if (area < 0) {
            int swap = i1;
            i1 = i2;
            i2 = swap;
            area = -area;
        }
        if (area < 1e-9) {
            return;
        }
        double x0 = posed[2 * i0];
        double y0 = posed[2 * i0 + 1];
        double x1 = posed[2 * i1];
        double y1 = posed[2 * i1 + 1];
        double x2 = posed[2 * i2];
        double y2 = posed[2 * i2 + 1];
        int minX = Math.max(0, (int) Math.floor(Math.min(x0, Math.min(x1, x2))));
        int maxX = Math.min(width - 1, (int) Math.ceil(Math.max(x0, Math.max(x1, x2))));
        int minY = Math.max(0, (int) Math.floor(Math.min(y0, Math.min(y1, y2))));
        int maxY = Math.min(height - 1, (int) Math.ceil(Math.max(y0, Math.max(y1, y2))));
        if (minX > maxX || minY > maxY) {
            return;
        }
        boolean own0 = owns(x1, y1, x2, y2);
        boolean own1 = owns(x2, y2, x0, y0);
        boolean own2 = owns(x0, y0, x1, y1);
        double inv = 1 / area;
        double rx0 = rest[2 * i0];
        double ry0 = rest[2 * i0 + 1];
        double rx1 = rest[2 * i1];
        double ry1 = rest[2 * i1 + 1];
        double rx2 = rest[2 * i2];
        double ry2 = rest[2 * i2 + 1];
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                double e0 = edge(x1, y1, x2, y2, x, y);
                double e1 = edge(x2, y2, x0, y0, x, y);
                double e2 = edge(x0, y0, x1, y1, x, y);
                if (!(e0 > 0 || (e0 == 0 && own0)) || !(e1 > 0 || (e1 == 0 && own1)) || !(e2 > 0 || (e2 == 0 && own2))) {
                    continue;
                }
                double l0 = e0 * inv;
                double l1 = e1 * inv;
                double l2 = e2 * inv;
                over(l0 * rx0 + l1 * rx1 + l2 * rx2, l0 * ry0 + l1 * ry1 + l2 * ry2, (y * width + x) * 3, out);
            }
        }
    }

    /**
     * Twice the signed area of {@code a, b, p} (positive when {@code p} is on the left of {@code a -> b} in a y-down
     * picture's terms). Evaluated from the lexicographically smaller end, so an edge shared by two triangles gives
     * exactly opposite values in both and a pixel on it is drawn by exactly one of them.
     */
    static double edge(double ax, double ay, double bx, double by, double px, double py) {
        if (ax > bx || (ax == bx && ay > by)) {
            return -((ax - bx) * (py - by) - (ay - by) * (px - bx));
        }
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    }

    /** Tie rule for pixels exactly on an edge: of its two directions, exactly one owns them. */
    private static boolean owns(double ax, double ay, double bx, double by) {
        return by > ay || (by == ay && bx < ax);
    }

    /** Composites the still at {@code (sx, sy)} (bilinear) over {@code out} at byte offset {@code o}. */
    private void over(double sx, double sy, int o, byte[] out) {
        double fx = Math.max(0, Math.min(width - 1.0, sx));
        double fy = Math.max(0, Math.min(height - 1.0, sy));
        int ix = Math.min(width - 2, (int) fx);
        int iy = Math.min(height - 2, (int) fy);
        if (ix < 0 || iy < 0) {
            return; // a 1-pixel-wide still: nothing to interpolate
        }
        double ax = fx - ix;
        double ay = fy - iy;
        double w00 = (1 - ax) * (1 - ay);
        double w10 = ax * (1 - ay);
        double w01 = (1 - ax) * ay;
        double w11 = ax * ay;
        int p = iy * width + ix;
        double a = w00 * alpha[p] + w10 * alpha[p + 1] + w01 * alpha[p + width] + w11 * alpha[p + width + 1];
        if (a <= 1e-3) {
            return;
        }
        int q = p * 3;
        int r = q + width * 3;
        // The still's edge pixels are the character mixed with what was behind it; taking the inpainted background
        // out again (un-premultiplying) leaves no halo, and the character at rest comes back exactly as the still.
        double keep = 1 - a;
        for (int c = 0; c < 3; c++) {
            double fg = w00 * (still[q + c] & 0xff) + w10 * (still[q + 3 + c] & 0xff) + w01 * (still[r + c] & 0xff)
                    + w11 * (still[r + 3 + c] & 0xff);
            double behind = w00 * (background[q + c] & 0xff) + w10 * (background[q + 3 + c] & 0xff)
                    + w01 * (background[r + c] & 0xff) + w11 * (background[r + 3 + c] & 0xff);
            double v = fg + keep * ((out[o + c] & 0xff) - behind);
            out[o + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
        }
    }
}

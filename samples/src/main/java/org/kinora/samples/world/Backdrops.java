package org.kinora.samples.world;

import java.util.Random;

/**
 * Draws a scene's backdrop. Texture coordinates are in shorter sides from the frame's centre, so the texture has the
 * same scale at every frame size; the camera moves or scales those coordinates over time, and each scene gets its own
 * offset into the (periodic) noise so no two scenes share a texture.
 */
final class Backdrops {

    /** Lattice of value noise, 256x256, periodic; fixed seed so every JVM draws the same textures. */
    private static final float[] LATTICE = lattice();
    private static final int NIGHT_R = 12;
    private static final int NIGHT_G = 16;
    private static final int NIGHT_B = 46;

    private final Scene scene;
    private final int w;
    private final int h;
    private final double unit;
    private final double offU;
    private final double offV;

    Backdrops(Scene scene, int width, int height) {
        this.scene = scene;
        this.w = width;
        this.h = height;
        this.unit = Math.min(width, height);
        long seed = mix(Double.doubleToLongBits(scene.startX()) * 31 + Double.doubleToLongBits(scene.startY()) * 17
                + Double.doubleToLongBits(scene.speed()));
        this.offU = (seed & 0xffff) / 65536.0 * 20;
        this.offV = ((seed >>> 16) & 0xffff) / 65536.0 * 20;
    }

    /** Fills one frame, starting at byte {@code base}, with the backdrop as the camera sees it at time {@code t}. */
    void draw(byte[] out, int base, double t) {
        double zoom = scene.camera() == Camera.ZOOM ? 1 + World.ZOOM_RATE * t : 1;
        double pan = scene.camera() == Camera.PAN ? World.PAN_SPEED * t : 0;
        double du = 1 / (unit * zoom);
        for (int y = 0; y < h; y++) {
            double v0 = (y + 0.5 - h / 2.0) / (unit * zoom);
            double u = (0.5 - w / 2.0) / (unit * zoom) + pan + offU;
            double v = v0 + offV;
            int i = base + y * w * 3;
            switch (scene.backdrop()) {
                case GREY -> fill(out, i, 128, 128, 128);
                case SKY -> {
                    double k = clamp(0.5 + v0 * 0.8);
                    fill(out, i, lerp(96, 150, k), lerp(136, 176, k), lerp(196, 212, k));
                }
                case SAND -> {
                    double a1 = 10 * fade(9);
                    double a2 = 5 * fade(23);
                    for (int x = 0; x < w; x++, u += du, i += 3) {
                        double n = a1 * noise(u * 9, v * 9) + a2 * noise(u * 23 + 37, v * 23 + 11);
                        put(out, i, 196 + n, 174 + n * 0.95, 134 + n * 0.85);
                    }
                }
                case GRASS -> {
                    double a1 = 9 * fade(14);
                    double a2 = 8 * fade(60);
                    for (int x = 0; x < w; x++, u += du, i += 3) {
                        // The second octave is stretched vertically: blades rather than blotches.
                        double n = a1 * noise(u * 14, v * 14) + a2 * noise(u * 60 + 91, v * 15 + 53);
                        put(out, i, 92 + n * 0.8, 102 + n, 78 + n * 0.7);
                    }
                }
                case STRIPES -> {
                    for (int x = 0; x < w; x++, u += du, i += 3) {
                        // A square wave with soft edges: period 0.22 shorter sides.
                        double k = Math.max(-1, Math.min(1, 2.5 * Math.sin(u * (2 * Math.PI / 0.22))));
                        put(out, i, 86 + 14 * k, 116 + 12 * k, 124 + 12 * k);
                    }
                }
                case NIGHT -> {
                    fill(out, i, NIGHT_R, NIGHT_G, NIGHT_B);
                    stars(out, i, u, du, v);
                }
            }
        }
    }

    /** Faint stars, one at most per cell of 1/9 shorter side; below ~1.4 px wide they grow and dim instead of aliasing. */
    private void stars(byte[] out, int i, double u, double du, double v) {
        double sigma = Math.max(0.004, 0.7 / unit);
        double amp = 80 * 0.004 / sigma;
        double reach = 3 * sigma;
        int cy = (int) Math.floor(v * 9);
        for (int x = 0; x < w; x++, u += du, i += 3) {
            int cx = (int) Math.floor(u * 9);
            long hsh = mix(cx * 0x9E3779B97F4A7C15L + cy * 0xC2B2AE3D27D4EB4FL);
            if ((hsh & 0xff) >= 90) {
                continue;
            }
            double sx = (cx + 0.3 + 0.4 * ((hsh >>> 8) & 0xff) / 255.0) / 9;
            double sy = (cy + 0.3 + 0.4 * ((hsh >>> 16) & 0xff) / 255.0) / 9;
            double dx = u - sx;
            double dy = v - sy;
            if (Math.abs(dx) > reach || Math.abs(dy) > reach) {
                continue;
            }
            double bright = 0.5 + 0.5 * ((hsh >>> 24) & 0xff) / 255.0;
            double s = amp * bright * Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
            put(out, i, NIGHT_R + s, NIGHT_G + s, NIGHT_B + s * 0.9);
        }
    }

    /** How much of a noise octave with {@code freq} cells per shorter side to keep: none of what would alias. */
    private double fade(double freq) {
        return Math.min(1, unit / (3 * freq));
    }

    private void fill(byte[] out, int i, double r, double g, double b) {
        byte br = (byte) (int) (r + 0.5);
        byte bg = (byte) (int) (g + 0.5);
        byte bb = (byte) (int) (b + 0.5);
        for (int x = 0; x < w; x++, i += 3) {
            out[i] = br;
            out[i + 1] = bg;
            out[i + 2] = bb;
        }
    }

    private static void put(byte[] out, int i, double r, double g, double b) {
        out[i] = clampByte(r);
        out[i + 1] = clampByte(g);
        out[i + 2] = clampByte(b);
    }

    private static byte clampByte(double v) {
        int q = (int) Math.floor(v + 0.5);
        return (byte) Math.max(0, Math.min(255, q));
    }

    private static double clamp(double k) {
        return Math.max(0, Math.min(1, k));
    }

    private static double lerp(double a, double b, double k) {
        return a + (b - a) * k;
    }

    /** Value noise in [-1, 1] with smoothstep interpolation over the periodic lattice. */
    static double noise(double x, double y) {
        double fx0 = Math.floor(x);
        double fy0 = Math.floor(y);
        int xi = (int) fx0;
        int yi = (int) fy0;
        double fx = x - fx0;
        double fy = y - fy0;
        fx = fx * fx * (3 - 2 * fx);
        fy = fy * fy * (3 - 2 * fy);
        int x0 = xi & 255;
        int x1 = (xi + 1) & 255;
        int y0 = (yi & 255) << 8;
        int y1 = ((yi + 1) & 255) << 8;
        double top = LATTICE[y0 + x0] + (LATTICE[y0 + x1] - LATTICE[y0 + x0]) * fx;
        double bottom = LATTICE[y1 + x0] + (LATTICE[y1 + x1] - LATTICE[y1 + x0]) * fx;
        return top + (bottom - top) * fy;
    }

    private static float[] lattice() {
        Random rnd = new Random(0x6b696e6f7261L);
        float[] l = new float[256 * 256];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return l;
    }

    /** SplitMix64's finalizer: a well-spread 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package org.kinora.inference.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/** Synthetic but natural-ish test pictures (smooth shading, shapes, texture, sensor noise) and image helpers. */
final class TestImages {

    private TestImages() {
    }

    /** A landscape: sky gradient, sun, textured hills, a shaded sphere, a brick house; packed RGB. */
    static byte[] scene(int w, int h, long seed) {
        Random rnd = new Random(seed);
        byte[] px = new byte[w * h * 3];
        int min = Math.min(w, h);
        double sunX = 0.8 * w, sunY = 0.2 * h, sunR = 0.07 * min;
        double sphX = 0.28 * w, sphY = 0.62 * h, sphR = 0.17 * min;
        int hx0 = (int) (0.52 * w), hx1 = (int) (0.74 * w), hy0 = (int) (0.47 * h), hy1 = (int) (0.8 * h);
        int brickH = Math.max(3, h / 40), brickW = brickH * 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r, g, b;
                double hz = 0.55 * h + 0.05 * h * Math.sin(6.0 * x / w);
                if (y < hz) { // sky
                    double t = y / hz;
                    r = 70 + 120 * t; g = 120 + 95 * t; b = 200 + 40 * t;
                    double d = Math.hypot(x - sunX, y - sunY);
                    if (d < sunR) {
                        r = 255; g = 230; b = 120;
                    } else {
                        double glow = Math.exp(-(d - sunR) / (0.6 * sunR)) * 0.6;
                        r += (255 - r) * glow; g += (240 - g) * glow; b += (170 - b) * glow;
                    }
                } else { // hills with grass texture
                    double t = (y - hz) / (h - hz);
                    double tex = Math.sin(x * 0.9 + Math.sin(y * 0.37) * 3) * 0.5 + 0.5;
                    r = 70 - 30 * t + 12 * tex; g = 150 - 60 * t + 25 * tex; b = 50 - 20 * t + 8 * tex;
                }
                // shaded sphere (Lambert + specular)
                double dx = (x - sphX) / sphR, dy = (y - sphY) / sphR;
                if (dx * dx + dy * dy < 1) {
                    double nz = Math.sqrt(1 - dx * dx - dy * dy);
                    double lam = Math.max(0, (-0.5 * dx - 0.6 * dy + 0.62 * nz));
                    double spec = Math.pow(Math.max(0, -0.3 * dx - 0.4 * dy + 0.87 * nz), 40);
                    r = 30 + 200 * lam + 200 * spec; g = 10 + 40 * lam + 200 * spec; b = 15 + 50 * lam + 200 * spec;
                }
                // house: brick wall, roof, window
                if (x >= hx0 && x < hx1 && y >= hy0 && y < hy1) {
                    int row = (y - hy0) / brickH;
                    int off = (row % 2) * brickW / 2;
                    boolean mortar = (y - hy0) % brickH == 0 || (x - hx0 + off) % brickW == 0;
                    r = mortar ? 200 : 160; g = mortar ? 190 : 80; b = mortar ? 180 : 55;
                    int wx0 = hx0 + (hx1 - hx0) / 3, wx1 = hx0 + 2 * (hx1 - hx0) / 3;
                    int wy0 = hy0 + (hy1 - hy0) / 4, wy1 = hy0 + (hy1 - hy0) / 2;
                    if (x >= wx0 && x < wx1 && y >= wy0 && y < wy1) {
                        r = 40; g = 60; b = 110;
                    }
                }
                int roofTop = hy0 - (hx1 - hx0) / 2;
                if (y >= roofTop && y < hy0) {
                    double half = (hx1 - hx0) / 2.0 * (y - roofTop) / (double) (hy0 - roofTop) + 4;
                    double cx = (hx0 + hx1) / 2.0;
                    if (Math.abs(x - cx) < half) {
                        r = 90; g = 40; b = 35;
                    }
                }
                double n = rnd.nextGaussian() * 6;
                int i = (y * w + x) * 3;
                px[i] = clamp(r + n);
                px[i + 1] = clamp(g + n + rnd.nextGaussian() * 2);
                px[i + 2] = clamp(b + n + rnd.nextGaussian() * 2);
            }
        }
        return px;
    }

    /** Two flat noisy gray regions split by a vertical edge at {@code w/2}: left {@code left}, right {@code right}. */
    static byte[] edge(int w, int h, int left, int right, double noise, long seed) {
        Random rnd = new Random(seed);
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = x < w / 2 ? left : right;
                for (int c = 0; c < 3; c++) {
                    px[(y * w + x) * 3 + c] = clamp(v + rnd.nextGaussian() * noise);
                }
            }
        }
        return px;
    }

    static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }

    /** Frames as a {@code UINT8 [N, H, W, 3]} tensor. */
    static Tensor frames(int w, int h, byte[]... images) {
        ByteBuffer b = ByteBuffer.allocate(images.length * w * h * 3);
        for (byte[] img : images) {
            b.put(img);
        }
        b.flip();
        return new Tensor("frames", TensorType.UINT8, new long[] {images.length, h, w, 3}, b);
    }

    static byte[] bytes(Tensor t) {
        ByteBuffer b = t.data().duplicate();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    static int u(byte[] px, int i) {
        return px[i] & 0xff;
    }

    static double luma(byte[] px, int w, int x, int y) {
        int i = (y * w + x) * 3;
        return 0.299 * u(px, i) + 0.587 * u(px, i + 1) + 0.114 * u(px, i + 2);
    }

    static int distinctColors(byte[] px) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < px.length; i += 3) {
            s.add((u(px, i) << 16) | (u(px, i + 1) << 8) | u(px, i + 2));
        }
        return s.size();
    }

    static double meanAbsDiff(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(u(a, i) - u(b, i));
        }
        return (double) sum / a.length;
    }

    /** Writes before | after side by side. */
    static Path saveBeforeAfter(Path file, int w, int h, byte[] before, byte[] after) throws IOException {
        BufferedImage img = new BufferedImage(2 * w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                img.setRGB(x, y, (u(before, i) << 16) | (u(before, i + 1) << 8) | u(before, i + 2));
                img.setRGB(w + x, y, (u(after, i) << 16) | (u(after, i + 1) << 8) | u(after, i + 2));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}

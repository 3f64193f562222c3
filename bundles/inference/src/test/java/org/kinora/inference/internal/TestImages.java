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

    /**
     * A photo-like picture: smooth background gradients, fabric texture, two face-like shaded ellipses with eyes and
     * mouth, thin dark and light lines, small dark and white text, small brown patches on green, sensor noise.
     */
    static byte[] photo(int w, int h, long seed) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setPaint(new java.awt.GradientPaint(0, 0, new java.awt.Color(170, 190, 215), w, h * 0.6f, new java.awt.Color(225, 205, 180)));
        g.fillRect(0, 0, w, h);
        // green lawn with small brown trunks
        g.setPaint(new java.awt.GradientPaint(0, h * 0.62f, new java.awt.Color(90, 150, 70), 0, h, new java.awt.Color(50, 100, 40)));
        g.fillRect(0, (int) (h * 0.62), w, h);
        for (int i = 0; i < 8; i++) {
            int x = (int) (w * (0.05 + 0.06 * i));
            g.setColor(new java.awt.Color(110, 70, 35));
            g.fillRect(x, (int) (h * 0.66), Math.max(3, h / 100), h / 14);
            g.setColor(new java.awt.Color(40, 120, 45));
            g.fillOval(x - h / 40, (int) (h * 0.60), h / 16, h / 14);
        }
        // faces: radially shaded skin ellipses, hair, eyes, mouth
        for (int f = 0; f < 2; f++) {
            float cx = w * (0.62f + 0.2f * f);
            float cy = h * 0.42f;
            float rx = h * 0.11f;
            float ry = h * 0.15f;
            g.setColor(new java.awt.Color(60 - 20 * f, 40, 30));
            g.fill(new java.awt.geom.Ellipse2D.Float(cx - rx * 1.1f, cy - ry * 1.15f, rx * 2.2f, ry * 1.3f));
            g.setPaint(new java.awt.RadialGradientPaint(cx - rx * 0.3f, cy - ry * 0.3f, rx * 1.6f, new float[] {0f, 1f},
                    new java.awt.Color[] {new java.awt.Color(240, 200, 170), new java.awt.Color(170, 110, 85)}));
            g.fill(new java.awt.geom.Ellipse2D.Float(cx - rx, cy - ry, 2 * rx, 2 * ry));
            g.setColor(new java.awt.Color(40, 30, 30));
            g.fill(new java.awt.geom.Ellipse2D.Float(cx - rx * 0.45f, cy - ry * 0.15f, rx * 0.22f, ry * 0.1f));
            g.fill(new java.awt.geom.Ellipse2D.Float(cx + rx * 0.23f, cy - ry * 0.15f, rx * 0.22f, ry * 0.1f));
            g.setColor(new java.awt.Color(160, 60, 60));
            g.setStroke(new java.awt.BasicStroke(h / 200f));
            g.draw(new java.awt.geom.Arc2D.Float(cx - rx * 0.4f, cy + ry * 0.2f, rx * 0.8f, ry * 0.4f, 200, 140, java.awt.geom.Arc2D.OPEN));
        }
        // thin lines: dark on light, light on dark
        g.setColor(new java.awt.Color(30, 30, 40));
        for (int i = 1; i <= 3; i++) {
            g.setStroke(new java.awt.BasicStroke(i));
            g.drawLine((int) (w * 0.05), (int) (h * (0.05 + 0.04 * i)), (int) (w * 0.45), (int) (h * (0.08 + 0.04 * i)));
        }
        g.setColor(new java.awt.Color(25, 30, 50));
        g.fillRect((int) (w * 0.05), (int) (h * 0.3), (int) (w * 0.4), (int) (h * 0.22));
        g.setColor(new java.awt.Color(235, 235, 235));
        for (int i = 1; i <= 3; i++) {
            g.setStroke(new java.awt.BasicStroke(i));
            g.drawLine((int) (w * 0.07), (int) (h * (0.31 + 0.03 * i)), (int) (w * 0.43), (int) (h * (0.32 + 0.03 * i)));
        }
        g.setColor(java.awt.Color.WHITE);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, Math.max(9, h / 40)));
        g.drawString("Small white caption text 0123", (int) (w * 0.07), (int) (h * 0.46));
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, Math.max(10, h / 28)));
        g.drawString("Bold caption ABC", (int) (w * 0.07), (int) (h * 0.50));
        g.setColor(new java.awt.Color(20, 20, 20));
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, Math.max(9, h / 40)));
        g.drawString("Dark small text on light 456", (int) (w * 0.05), (int) (h * 0.58));
        g.dispose();
        Random rnd = new Random(seed);
        byte[] px = new byte[w * h * 3];
        int fx0 = (int) (w * 0.5), fx1 = (int) (w * 0.95), fy0 = (int) (h * 0.7), fy1 = (int) (h * 0.95);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = img.getRGB(x, y);
                double r = (c >> 16) & 0xff, gg = (c >> 8) & 0xff, b = c & 0xff;
                if (x >= fx0 && x < fx1 && y >= fy0 && y < fy1) { // fabric: a woven blue texture
                    double t = 0.5 + 0.25 * Math.sin(x * 0.8) * Math.sin(y * 0.8) + 0.25 * Math.sin((x + y) * 0.13);
                    r = 40 + 40 * t; gg = 60 + 50 * t; b = 130 + 70 * t;
                }
                double n = rnd.nextGaussian() * 4;
                int i = (y * w + x) * 3;
                px[i] = clamp(r + n);
                px[i + 1] = clamp(gg + n + rnd.nextGaussian() * 1.5);
                px[i + 2] = clamp(b + n + rnd.nextGaussian() * 1.5);
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

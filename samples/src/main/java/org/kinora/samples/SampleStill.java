package org.kinora.samples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A still for the motion brush: a lake scene drawn with Java2D at {@value #WIDTH}x{@value #HEIGHT}: sky with clouds in
 * the top band (y 0..120), hills, a house, a tree (crown around (520, 190)), a flag on a pole (cloth x 110..170,
 * y 150..185) and water with light streaks in the bottom band (y 250..360), so every kind of motion has texture to move.
 * The brush files in {@code samples/motion-brush/} paint its regions.
 */
public final class SampleStill {

    /** Width in pixels. */
    public static final int WIDTH = 640;
    /** Height in pixels. */
    public static final int HEIGHT = 360;

    private SampleStill() {
    }

    /** Draws the still (deterministic). */
    public static BufferedImage draw() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, new Color(70, 140, 230), 0, 230, new Color(200, 230, 255)));
            g.fillRect(0, 0, WIDTH, HEIGHT);
            Random rnd = new Random(5);
            g.setColor(new Color(255, 255, 255, 220));
            for (int c = 0; c < 5; c++) {
                double cx = 40 + c * 125;
                double cy = 35 + (c % 2) * 35;
                for (int k = 0; k < 6; k++) {
                    g.fill(new Ellipse2D.Double(cx + k * 14 + rnd.nextInt(6), cy - (k % 3) * 7, 34, 22));
                }
            }
            g.setColor(new Color(255, 240, 170));
            g.fill(new Ellipse2D.Double(560, 20, 44, 44));
            for (int layer = 0; layer < 2; layer++) {
                Polygon p = new Polygon();
                p.addPoint(0, 250);
                for (int x = 0; x <= WIDTH; x += 8) {
                    p.addPoint(x, (int) (170 + 25 * layer + Math.sin(x / 90.0 + layer) * 22 + Math.sin(x / 23.0) * 4));
                }
                p.addPoint(WIDTH, 250);
                g.setColor(layer == 0 ? new Color(60, 120, 60) : new Color(80, 150, 70));
                g.fill(p);
            }
            // a house
            g.setColor(new Color(200, 180, 150));
            g.fillRect(250, 190, 60, 50);
            g.setColor(new Color(150, 60, 40));
            g.fillPolygon(new int[] {244, 280, 316}, new int[] {190, 162, 190}, 3);
            g.setColor(new Color(90, 70, 50));
            g.fillRect(272, 215, 14, 25);
            // a tree with a textured crown
            g.setColor(new Color(100, 70, 40));
            g.fillRect(514, 190, 12, 60);
            for (int k = 0; k < 60; k++) {
                g.setColor(new Color(30 + rnd.nextInt(40), 100 + rnd.nextInt(80), 30 + rnd.nextInt(30)));
                double a = rnd.nextDouble() * 2 * Math.PI;
                double r = rnd.nextDouble() * 40;
                g.fill(new Ellipse2D.Double(520 + Math.cos(a) * r - 9, 190 + Math.sin(a) * r * 0.8 - 7, 18, 14));
            }
            // a flag on a pole, striped so its swing shows
            g.setColor(new Color(60, 60, 60));
            g.setStroke(new BasicStroke(3));
            g.drawLine(108, 148, 108, 250);
            for (int s = 0; s < 5; s++) {
                g.setColor(s % 2 == 0 ? new Color(220, 40, 40) : Color.WHITE);
                g.fillRect(110, 150 + s * 7, 60, 7);
            }
            // water with light streaks
            g.setPaint(new GradientPaint(0, 250, new Color(40, 100, 170), 0, HEIGHT, new Color(20, 50, 110)));
            g.fillRect(0, 250, WIDTH, HEIGHT - 250);
            for (int k = 0; k < 140; k++) {
                int y = 252 + rnd.nextInt(HEIGHT - 254);
                int x = rnd.nextInt(WIDTH);
                g.setColor(new Color(150 + rnd.nextInt(80), 190 + rnd.nextInt(50), 255, 160));
                g.fillRect(x, y, 10 + rnd.nextInt(30), 2);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** A grayscale mask of the water (white below the shore at y = 250, with a 4 px soft edge), for mask brushes. */
    public static BufferedImage waterMask() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < HEIGHT; y++) {
            int v = (int) Math.round(255 * Math.min(1, Math.max(0, (y - 248) / 4.0)));
            for (int x = 0; x < WIDTH; x++) {
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return img;
    }

    /** Writes the still as PNG. */
    public static Path write(Path png) throws IOException {
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(draw(), "png", png.toFile())) {
            throw new IOException("no PNG writer for " + png);
        }
        return png;
    }

    /**
     * Writes the still and the water mask into the folder given as the first argument (default
     * {@code samples/motion-brush}) as {@code lake.png} and {@code water-mask.png}.
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path dir = Path.of(args.length > 0 ? args[0] : "samples/motion-brush");
        System.out.println(write(dir.resolve("lake.png")));
        Path mask = dir.resolve("water-mask.png");
        if (!ImageIO.write(waterMask(), "png", mask.toFile())) {
            throw new IOException("no PNG writer for " + mask);
        }
        System.out.println(mask);
    }
}

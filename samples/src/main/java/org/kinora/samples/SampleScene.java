package org.kinora.samples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;

import org.kinora.core.media.VideoFrame;

/**
 * A procedurally drawn scene with real motion (a rolling ball, drifting clouds, a panning landscape), so effects have
 * shading, edges, texture and movement to work on. Frames are drawn with Java2D straight into packed RGB bytes.
 */
public enum SampleScene {
    /** Daylight hills with a red ball rolling across. */
    MEADOW(new Color(90, 160, 235), new Color(200, 230, 255), new Color(70, 150, 60), new Color(230, 60, 40)),
    /** Sunset coast with a yellow ball. */
    SUNSET(new Color(250, 120, 60), new Color(255, 210, 150), new Color(40, 80, 120), new Color(250, 220, 60)),
    /** Night city with a blue ball. */
    NIGHT(new Color(15, 20, 60), new Color(60, 60, 120), new Color(35, 35, 45), new Color(80, 170, 255));

    private final Color skyTop;
    private final Color skyBottom;
    private final Color ground;
    private final Color ball;

    SampleScene(Color skyTop, Color skyBottom, Color ground, Color ball) {
        this.skyTop = skyTop;
        this.skyBottom = skyBottom;
        this.ground = ground;
        this.ball = ball;
    }

    /**
     * Draws frame {@code index} of {@code frameCount}.
     *
     * @return a frame of packed RGB bytes
     */
    public VideoFrame frame(long index, long frameCount, int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        BufferedImage img = rgbImage(rgb, width, height);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            draw(g, (double) index / Math.max(1, frameCount - 1), index, width, height);
        } finally {
            g.dispose();
        }
        return new VideoFrame(index, width, height, ByteBuffer.wrap(rgb));
    }

    private void draw(Graphics2D g, double t, long index, int w, int h) {
        g.setPaint(new GradientPaint(0, 0, skyTop, 0, h * 0.65f, skyBottom));
        g.fillRect(0, 0, w, h);
        // sun or moon
        g.setColor(this == NIGHT ? new Color(235, 235, 210) : new Color(255, 240, 170));
        g.fill(new Ellipse2D.Double(w * 0.75, h * 0.1, h * 0.16, h * 0.16));
        // clouds drift slowly
        g.setColor(new Color(255, 255, 255, this == NIGHT ? 60 : 200));
        for (int i = 0; i < 3; i++) {
            double cx = ((i * 0.37 + t * 0.15) % 1.2 - 0.1) * w;
            double cy = h * (0.12 + 0.08 * i);
            for (int k = 0; k < 4; k++) {
                g.fill(new Ellipse2D.Double(cx + k * h * 0.06, cy - (k % 2) * h * 0.02, h * 0.12, h * 0.07));
            }
        }
        // hills pan right to left
        double pan = t * w * 0.25;
        for (int layer = 0; layer < 2; layer++) {
            Polygon p = new Polygon();
            p.addPoint(0, h);
            for (int x = 0; x <= w; x += Math.max(4, w / 80)) {
                double phase = (x + pan * (layer + 1)) / w;
                double y = h * (0.55 + 0.1 * layer) + Math.sin(phase * Math.PI * (3 + layer)) * h * 0.06
                        + Math.sin(phase * Math.PI * 11) * h * 0.01;
                p.addPoint(x, (int) y);
            }
            p.addPoint(w, h);
            g.setColor(layer == 0 ? ground.darker() : ground);
            g.fill(p);
        }
        // striped trees or buildings for texture and hard edges
        g.setStroke(new BasicStroke(Math.max(1f, h / 180f)));
        for (int i = 0; i < 9; i++) {
            double x = ((i * 0.117 - t * 0.3) % 1.0 + 1.0) % 1.0 * w;
            double base = h * 0.78;
            if (this == NIGHT) {
                g.setColor(new Color(50 + i * 8, 50 + i * 5, 70));
                int bh = (int) (h * (0.15 + 0.05 * (i % 3)));
                g.fillRect((int) x, (int) base - bh, (int) (h * 0.08), bh);
                g.setColor(new Color(255, 220, 120));
                for (int wy = (int) base - bh + 6; wy < base - 6; wy += Math.max(6, h / 45)) {
                    g.fillRect((int) x + 4, wy, Math.max(2, h / 120), Math.max(2, h / 120));
                }
            } else {
                g.setColor(new Color(90, 60, 30));
                g.fillRect((int) x, (int) (base - h * 0.08), Math.max(2, h / 90), (int) (h * 0.08));
                g.setColor(new Color(30, 110 + i * 8, 40));
                g.fill(new Ellipse2D.Double(x - h * 0.035, base - h * 0.16, h * 0.08, h * 0.1));
            }
        }
        // the ball rolls across with a bounce
        double r = h * 0.08;
        double bx = -r + t * (w + 2 * r);
        double by = h * 0.86 - Math.abs(Math.sin(t * Math.PI * 4)) * h * 0.25 - r;
        g.setColor(new Color(0, 0, 0, 70));
        g.fill(new Ellipse2D.Double(bx - r * 0.8, h * 0.86 - r * 0.2, r * 1.6, r * 0.4));
        g.setPaint(new GradientPaint((float) (bx - r), (float) (by - r), ball.brighter(), (float) (bx + r), (float) (by + r), ball.darker()));
        g.fill(new Ellipse2D.Double(bx - r, by - r, 2 * r, 2 * r));
        // caption with the frame number, so frames can be told apart when inspecting renders
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, h / 24)));
        g.drawString("Kinora sample: " + name().toLowerCase() + "  #" + index, (int) (w * 0.03), (int) (h * 0.95));
    }

    private static BufferedImage rgbImage(byte[] rgb, int w, int h) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        PixelInterleavedSampleModel sm = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, w, h, 3, w * 3, new int[] {0, 1, 2});
        WritableRaster raster = Raster.createWritableRaster(sm, new DataBufferByte(rgb, rgb.length), null);
        return new BufferedImage(cm, raster, false, null);
    }
}

package org.kinora.effect.motionbrush.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Soft masks of regions at the output size: anti-aliased polygon fills or resampled mask images, then feathered. */
public final class Masks {

    private Masks() {
    }

    /**
     * The region's mask at {@code width x height}, in {@code [0, 1]}, row-major. Region coordinates are in the still's
     * pixels ({@code stillWidth x stillHeight}) and are scaled to the output, as the decoder scales the still.
     */
    public static float[] of(Region region, int stillWidth, int stillHeight, int width, int height) {
        float[] mask;
        if (region instanceof Region.Polygon p) {
            mask = polygon(p, stillWidth, stillHeight, width, height);
        } else {
            Region.Mask m = (Region.Mask) region;
            mask = resample(m.alpha(), m.width(), m.height(), width, height);
        }
        double scale = ((double) width / stillWidth + (double) height / stillHeight) / 2;
        feather(mask, width, height, (int) Math.round(region.feather() * scale));
        return mask;
    }

    private static float[] polygon(Region.Polygon p, int sw, int sh, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale((double) w / sw, (double) h / sh);
            Path2D.Double path = new Path2D.Double();
            path.moveTo(p.xs()[0], p.ys()[0]);
            for (int i = 1; i < p.xs().length; i++) {
                path.lineTo(p.xs()[i], p.ys()[i]);
            }
            path.closePath();
            g.setColor(Color.WHITE);
            g.fill(path);
        } finally {
            g.dispose();
        }
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) {
            out[i] = (px[i] & 0xff) / 255f;
        }
        return out;
    }

    /** Bilinear resampling with pixel centres aligned (the way scalers map a picture to another size). */
    static float[] resample(float[] src, int sw, int sh, int w, int h) {
        if (sw == w && sh == h) {
            return src.clone();
        }
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            double fy = Math.min(Math.max((y + 0.5) * sh / h - 0.5, 0), sh - 1);
            int y0 = (int) fy;
            int y1 = Math.min(y0 + 1, sh - 1);
            double ty = fy - y0;
            for (int x = 0; x < w; x++) {
                double fx = Math.min(Math.max((x + 0.5) * sw / w - 0.5, 0), sw - 1);
                int x0 = (int) fx;
                int x1 = Math.min(x0 + 1, sw - 1);
                double tx = fx - x0;
                double top = src[y0 * sw + x0] * (1 - tx) + src[y0 * sw + x1] * tx;
                double bottom = src[y1 * sw + x0] * (1 - tx) + src[y1 * sw + x1] * tx;
                out[y * w + x] = (float) (top * (1 - ty) + bottom * ty);
            }
        }
        return out;
    }

    /**
     * Softens the mask's edges over {@code radius} pixels either side: two box blurs whose radii add up to
     * {@code radius}, so a straight edge becomes a smooth ramp: pixels whose centre lies more than {@code radius} px
     * outside the outline stay exactly 0, more than {@code radius} px inside exactly 1, and the ramp is 0.5 on the outline
     * (the two pixels straddling it sum to 1). The still's border is extended (not black), so a region
     * that touches the border stays fully painted there.
     */
    static void feather(float[] mask, int w, int h, int radius) {
        if (radius <= 0) {
            return;
        }
        int r1 = radius / 2;
        int r2 = radius - r1;
        for (int r : new int[] {r1, r2}) {
            if (r > 0) {
                boxRows(mask, w, h, r);
                boxColumns(mask, w, h, r);
            }
        }
    }

    private static void boxRows(float[] m, int w, int h, int r) {
        double[] line = new double[w];
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int x = 0; x < w; x++) {
                line[x] = m[o + x];
            }
            box(line, w, r, m, o, 1);
        }
    }

    private static void boxColumns(float[] m, int w, int h, int r) {
        double[] line = new double[h];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                line[y] = m[y * w + x];
            }
            box(line, h, r, m, x, w);
        }
    }

    /** Running-sum box filter of radius {@code r} over {@code line}, edges clamped, written to {@code out[o + i * step]}. */
    private static void box(double[] line, int n, int r, float[] out, int o, int step) {
        double sum = 0;
        for (int k = -r; k <= r; k++) {
            sum += line[Math.min(Math.max(k, 0), n - 1)];
        }
        double norm = 1.0 / (2 * r + 1);
        for (int i = 0; i < n; i++) {
            out[o + i * step] = (float) Math.min(1, Math.max(0, sum * norm));
            sum += line[Math.min(i + r + 1, n - 1)] - line[Math.max(i - r, 0)];
        }
    }
}

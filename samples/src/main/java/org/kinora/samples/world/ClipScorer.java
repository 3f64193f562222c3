package org.kinora.samples.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads back what a clip of the world shows (the object's shape, hue and direction of motion) from its pixels alone, to
 * rate how well a generated clip follows its prompt. Nothing about the scene is known beforehand except the world's
 * palette of {@link Hue}s and its {@link Shape}s.
 *
 * <p>Per frame: the backdrop is estimated by a median polish (row medians, then column medians of what is left), which
 * the object, at most a third of any row or column, never dominates, and which follows gradients, stripes and a drifting
 * or zooming camera. The object is the largest blob of pixels far from that backdrop (on a 3x3-smoothed difference, with
 * a threshold above the frame's own noise level). Its colour (the core of the blob) names the hue: the Hue whose line
 * from the backdrop passes nearest, so a blurred, partly mixed edge still names the right one. Its shape is the best
 * normalized cross-correlation with templates of each shape over a few sizes and blurs, on frames where the object is
 * whole; its direction is the dominant axis and sign of the least-squares velocity of its centroid. Large clips are first
 * box-averaged to about 48 px on the shorter side, which also averages away noise.
 */
public final class ClipScorer {

    /**
     * What a clip shows.
     *
     * @param shape      the object's shape; null when no object was found
     * @param hue        the object's colour; null when no object was found
     * @param direction  where the object moves; null when no object was found or it travels less than {@value
     *                   #STILL_PX} working pixels (about 1.5/48 of the shorter side) over the clip
     * @param confidence 0..1: the weakest of the three readings' margins
     * @param why        the measurements behind the reading, for a person
     */
    public record Reading(Shape shape, Hue hue, Direction direction, double confidence, String why) {
    }

    /** Shorter side the clip is box-averaged down to (at least), so big frames cost what small ones do. */
    static final int WORKING_SIDE = 48;

    /** Below this travel over the whole clip, in working pixels, the object is read as not moving. */
    static final double STILL_PX = 1.5;

    private static final double[] SIZE_STEPS = {0.75, 0.83, 0.91, 1.0, 1.1};
    private static final double[] BLURS = {0, 0.8, 1.6};
    private static final double[] SHIFTS = {-0.4, 0, 0.4};

    private ClipScorer() {
    }

    /**
     * Reads a clip.
     *
     * @param rgbFrames packed RGB bytes, frame after frame, rows top to bottom, as {@link World#render} writes them
     * @param width     frame width, >= 8
     * @param height    frame height, >= 8
     * @param frames    how many frames, >= 2 (4 or more read motion reliably)
     */
    public static Reading read(byte[] rgbFrames, int width, int height, int frames) {
        Objects.requireNonNull(rgbFrames, "rgbFrames");
        if (width < 8 || height < 8 || width > World.MAX_SIDE || height > World.MAX_SIDE) {
            throw new IllegalArgumentException("frame size must be 8.." + World.MAX_SIDE + " a side, got " + width + "x"
                    + height);
        }
        if (frames < 2) {
            throw new IllegalArgumentException("need at least 2 frames to read motion, got " + frames);
        }
        long expected = (long) width * height * 3 * frames;
        if (rgbFrames.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " bytes for " + frames + " frames of " + width
                    + "x" + height + " RGB, got " + rgbFrames.length);
        }
        int k = Math.max(1, Math.min(width, height) / WORKING_SIDE);
        int w = width / k;
        int h = height / k;
        List<Blob> blobs = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            Blob b = analyse(downsample(rgbFrames, f, width, height, k), w, h, f);
            if (b != null) {
                blobs.add(b);
            }
        }
        if (blobs.size() < 2) {
            return new Reading(null, null, null, 0, "no object found in " + (frames - blobs.size()) + " of " + frames
                    + " frames");
        }
        StringBuilder why = new StringBuilder();
        why.append(String.format(Locale.ROOT, "object in %d/%d frames at %dx%d", blobs.size(), frames, w, h));
        HueVote hue = voteHue(blobs);
        why.append("; ").append(hue.why);
        ShapeVote shape = voteShape(blobs, w, h);
        why.append("; ").append(shape.why);
        Motion motion = motion(blobs, w, h);
        why.append("; ").append(motion.why);
        double confidence = Math.min(hue.confidence, Math.min(shape.confidence, motion.confidence));
        return new Reading(shape.shape, hue.hue, motion.direction, confidence, why.toString());
    }

    /** The object as found in one frame. */
    private static final class Blob {
        int frame;
        double cx;
        double cy;
        boolean whole;
        double[] core;
        double[] coreBg;
        /** The signed coverage map (projection on backdrop -> core colour) over the region rx0..rx1 x ry0..ry1. */
        float[] alpha;
        int rx0;
        int ry0;
        int rw;
        int rh;
        double mass;
    }

    private static Blob analyse(float[] img, int w, int h, int frame) {
        int n = w * h;
        float[] bg = medianPolish(img, w, h);
        float[] diff = new float[3 * n];
        for (int i = 0; i < 3 * n; i++) {
            diff[i] = img[i] - bg[i];
        }
        float[] smooth = box3(diff, w, h);
        float[] dist = new float[n];
        for (int i = 0; i < n; i++) {
            float r = smooth[3 * i];
            float g = smooth[3 * i + 1];
            float b = smooth[3 * i + 2];
            dist[i] = (float) Math.sqrt(r * r + g * g + b * b);
        }
        float[] sorted = dist.clone();
        Arrays.sort(sorted);
        double threshold = Math.max(28, 2.5 * sorted[n / 2]);
        int[] label = new int[n];
        int[] queue = new int[n];
        int best = -1;
        double bestMass = 0;
        int bestSize = 0;
        int next = 0;
        for (int s = 0; s < n; s++) {
            if (label[s] != 0 || dist[s] <= threshold) {
                continue;
            }
            next++;
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            label[s] = next;
            double mass = 0;
            while (head < tail) {
                int p = queue[head++];
                mass += dist[p];
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int qx = px + dx;
                        int qy = py + dy;
                        if (qx >= 0 && qy >= 0 && qx < w && qy < h) {
                            int q = qy * w + qx;
                            if (label[q] == 0 && dist[q] > threshold) {
                                label[q] = next;
                                queue[tail++] = q;
                            }
                        }
                    }
                }
            }
            if (mass > bestMass) {
                bestMass = mass;
                best = next;
                bestSize = tail;
            }
        }
        if (best < 0 || bestSize < 2) {
            return null;
        }
        int x0 = w;
        int y0 = h;
        int x1 = -1;
        int y1 = -1;
        float peak = 0;
        for (int i = 0; i < n; i++) {
            if (label[i] == best) {
                x0 = Math.min(x0, i % w);
                x1 = Math.max(x1, i % w);
                y0 = Math.min(y0, i / w);
                y1 = Math.max(y1, i / w);
                peak = Math.max(peak, dist[i]);
            }
        }
        Blob b = new Blob();
        b.frame = frame;
        b.mass = bestMass;
        b.core = new double[3];
        b.coreBg = new double[3];
        int coreCount = 0;
        for (int i = 0; i < n; i++) {
            if (label[i] == best && dist[i] >= 0.75 * peak) {
                for (int c = 0; c < 3; c++) {
                    b.core[c] += img[3 * i + c];
                    b.coreBg[c] += bg[3 * i + c];
                }
                coreCount++;
            }
        }
        for (int c = 0; c < 3; c++) {
            b.core[c] /= coreCount;
            b.coreBg[c] /= coreCount;
        }
        double[] u = {b.core[0] - b.coreBg[0], b.core[1] - b.coreBg[1], b.core[2] - b.coreBg[2]};
        double u2 = Math.max(1, u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        // The region around the blob, padded so templates of slightly larger or blurrier objects still fit.
        int pad = 2 + (int) Math.ceil(0.1 * Math.min(w, h));
        b.whole = x0 > 0 && y0 > 0 && x1 < w - 1 && y1 < h - 1;
        b.rx0 = Math.max(0, x0 - pad);
        b.ry0 = Math.max(0, y0 - pad);
        b.rw = Math.min(w - 1, x1 + pad) - b.rx0 + 1;
        b.rh = Math.min(h - 1, y1 + pad) - b.ry0 + 1;
        b.alpha = new float[b.rw * b.rh];
        double sx = 0;
        double sy = 0;
        double sw = 0;
        for (int y = 0; y < b.rh; y++) {
            for (int x = 0; x < b.rw; x++) {
                int i = (b.ry0 + y) * w + b.rx0 + x;
                double a = (diff[3 * i] * u[0] + diff[3 * i + 1] * u[1] + diff[3 * i + 2] * u[2]) / u2;
                b.alpha[y * b.rw + x] = (float) a;
                if (label[i] == best && a > 0) {
                    double wt = Math.min(a, 1.2);
                    sx += wt * (b.rx0 + x + 0.5);
                    sy += wt * (b.ry0 + y + 0.5);
                    sw += wt;
                }
            }
        }
        if (sw <= 0) {
            return null;
        }
        b.cx = sx / sw;
        b.cy = sy / sw;
        return b;
    }

    private record HueVote(Hue hue, double confidence, String why) {
    }

    /** Each frame names the Hue whose backdrop-to-hue line passes nearest its core colour; the most named wins. */
    private static HueVote voteHue(List<Blob> blobs) {
        double[] score = new double[Hue.values().length];
        double[] mean = new double[3];
        for (Blob b : blobs) {
            double[] d = hueDistances(b.core, b.coreBg);
            int first = argMin(d);
            score[first] += 1;
            for (int c = 0; c < 3; c++) {
                mean[c] += b.core[c] / blobs.size();
            }
        }
        int best = argMax(score);
        double second = 0;
        for (int i = 0; i < score.length; i++) {
            if (i != best) {
                second = Math.max(second, score[i]);
            }
        }
        double confidence = (score[best] - second) / blobs.size();
        return new HueVote(Hue.values()[best], confidence, String.format(Locale.ROOT,
                "hue %s in %.0f/%d frames (core rgb %.0f,%.0f,%.0f)", Hue.values()[best], score[best], blobs.size(),
                mean[0], mean[1], mean[2]));
    }

    /**
     * How far {@code colour} lies from each Hue's segment backdrop -> hue (from a third of the way out to a little past
     * the hue), so colours blended with the backdrop by blur still point to their hue.
     */
    static double[] hueDistances(double[] colour, double[] backdrop) {
        Hue[] hues = Hue.values();
        double[] out = new double[hues.length];
        for (int i = 0; i < hues.length; i++) {
            double[] v = {hues[i].r() - backdrop[0], hues[i].g() - backdrop[1], hues[i].b() - backdrop[2]};
            double[] p = {colour[0] - backdrop[0], colour[1] - backdrop[1], colour[2] - backdrop[2]};
            double v2 = Math.max(1, v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            double t = (p[0] * v[0] + p[1] * v[1] + p[2] * v[2]) / v2;
            t = Math.max(0.35, Math.min(1.15, t));
            double dr = p[0] - t * v[0];
            double dg = p[1] - t * v[1];
            double db = p[2] - t * v[2];
            out[i] = Math.sqrt(dr * dr + dg * dg + db * db);
        }
        return out;
    }

    private record ShapeVote(Shape shape, double confidence, String why) {
    }

    /**
     * Mean over up to 8 frames (where the object is whole) of each shape's best template correlation decides; the
     * confidence is how much more often the winner is also each frame's own best than the runner-up.
     */
    private static ShapeVote voteShape(List<Blob> blobs, int w, int h) {
        List<Blob> whole = blobs.stream().filter(b -> b.whole).toList();
        List<Blob> use = whole.isEmpty() ? blobs : whole;
        int step = Math.max(1, (use.size() + 7) / 8);
        double[] sum = new double[Shape.values().length];
        int[] votes = new int[Shape.values().length];
        int count = 0;
        double fill = 0;
        double area = 0;
        for (int i = 0; i < use.size(); i += step) {
            Blob b = use.get(i);
            double[] c = new double[Shape.values().length];
            for (Shape s : Shape.values()) {
                c[s.ordinal()] = bestCorrelation(b, s);
                sum[s.ordinal()] += c[s.ordinal()];
            }
            votes[argMax(c)]++;
            fill += fillRatio(b);
            area += coveredArea(b);
            count++;
        }
        double[] mean = new double[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = sum[i] / count;
        }
        int best = argMax(mean);
        int second = 0;
        for (int i = 0; i < votes.length; i++) {
            if (i != best) {
                second = Math.max(second, votes[i]);
            }
        }
        double confidence = Math.max(0, (votes[best] - second) / (double) count);
        Shape shape = Shape.values()[best];
        double size = Math.sqrt(area / count / fill(shape)) / Math.min(w, h);
        return new ShapeVote(shape, confidence, String.format(Locale.ROOT,
                "shape %s in %d/%d frames (mean template correlation circle %.3f square %.3f triangle %.3f%s;"
                        + " fill %.2f; size %.2f of the shorter side)",
                shape, votes[best], count, mean[0], mean[1], mean[2], whole.isEmpty() ? ", none whole" : "",
                fill / count, size));
    }

    private static double fill(Shape shape) {
        return switch (shape) {
            case CIRCLE -> Math.PI / 4;
            case SQUARE -> 1;
            case TRIANGLE -> 0.5;
        };
    }

    /** The blob's area in pixels: its coverage summed where it clearly shows. */
    private static double coveredArea(Blob b) {
        double area = 0;
        for (float a : b.alpha) {
            if (a > 0.1) {
                area += Math.min(a, 1);
            }
        }
        return area;
    }

    /**
     * Area over bounding box of the blob's clear coverage (circle ~0.79, square ~1, triangle ~0.5 when sharp; blur and
     * noise push it around, so it only informs people, the templates decide).
     */
    private static double fillRatio(Blob b) {
        double area = 0;
        double widest = 0;
        double[] cols = new double[b.rw];
        for (int y = 0; y < b.rh; y++) {
            double row = 0;
            for (int x = 0; x < b.rw; x++) {
                double a = Math.max(0, Math.min(1, b.alpha[y * b.rw + x]));
                if (a > 0.3) {
                    row += a;
                    cols[x] += a;
                    area += a;
                }
            }
            widest = Math.max(widest, row);
        }
        double tallest = Arrays.stream(cols).max().orElse(0);
        return widest * tallest > 0 ? area / (widest * tallest) : 0;
    }

    /** The best normalized cross-correlation of the blob's coverage with the shape over sizes, blurs and shifts. */
    private static double bestCorrelation(Blob b, Shape shape) {
        double area = coveredArea(b);
        double fill = fill(shape);
        double side0 = Math.sqrt(area / fill);
        float[] template = new float[b.alpha.length];
        float[] blurred = new float[b.alpha.length];
        // Coarse to fine: size and blur with the centroids aligned, then small shifts around the best of those.
        double best = -1;
        double bestSide = side0;
        for (double step : SIZE_STEPS) {
            double c = correlation(b, shape, side0 * step, 0, 0, template, blurred);
            if (c > best) {
                best = c;
                bestSide = side0 * step;
            }
        }
        for (double ox : SHIFTS) {
            for (double oy : SHIFTS) {
                if (ox != 0 || oy != 0) {
                    best = Math.max(best, correlation(b, shape, bestSide, ox, oy, template, blurred));
                }
            }
        }
        return best;
    }

    /** The best correlation over blurs of the shape with the given side, its centroid on the blob's plus a shift. */
    private static double correlation(Blob b, Shape shape, double side, double ox, double oy, float[] template,
            float[] blurred) {
        // Align centroids: a triangle's centroid sits a sixth of its height below its box's centre.
        double cx = b.cx - b.rx0 + ox;
        double cy = b.cy - b.ry0 + oy - (shape == Shape.TRIANGLE ? side / 6 : 0);
        draw(template, b.rw, b.rh, shape, cx, cy, side);
        double best = -1;
        for (double sigma : BLURS) {
            float[] t = sigma == 0 ? template : blur(template, blurred, b.rw, b.rh, sigma);
            best = Math.max(best, correlation(b.alpha, t));
        }
        return best;
    }

    /** Coverage of the shape centred at (cx, cy) with the given side, as World draws it. */
    private static void draw(float[] out, int w, int h, Shape shape, double cx, double cy, double side) {
        double half = side / 2;
        double invSqrt5 = 1 / Math.sqrt(5);
        for (int y = 0; y < h; y++) {
            double py = y + 0.5;
            for (int x = 0; x < w; x++) {
                double px = x + 0.5;
                double d = switch (shape) {
                    case CIRCLE -> Math.hypot(px - cx, py - cy) - half;
                    case SQUARE -> Math.max(Math.abs(px - cx), Math.abs(py - cy)) - half;
                    case TRIANGLE -> {
                        double bottom = cy + half;
                        double left = (-2 * (px - (cx - half)) - (py - bottom)) * invSqrt5;
                        double right = (2 * (px - (cx + half)) - (py - bottom)) * invSqrt5;
                        yield Math.max(py - bottom, Math.max(left, right));
                    }
                };
                out[y * w + x] = (float) Math.max(0, Math.min(1, 0.5 - d));
            }
        }
    }

    private static float[] blur(float[] in, float[] out, int w, int h, double sigma) {
        int r = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * r + 1];
        double ks = 0;
        for (int i = -r; i <= r; i++) {
            kernel[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
            ks += kernel[i + r];
        }
        float[] tmp = new float[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    int xx = x + i;
                    if (xx >= 0 && xx < w) {
                        s += kernel[i + r] * in[y * w + xx];
                    }
                }
                tmp[y * w + x] = (float) (s / ks);
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -r; i <= r; i++) {
                    int yy = y + i;
                    if (yy >= 0 && yy < h) {
                        s += kernel[i + r] * tmp[yy * w + x];
                    }
                }
                out[y * w + x] = (float) (s / ks);
            }
        }
        return out;
    }

    private static double correlation(float[] a, float[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
    }

    private record Motion(Direction direction, double confidence, String why) {
    }

    /** Least-squares velocity of the centroid, in frame widths (x) and heights (y) per frame. */
    private static Motion motion(List<Blob> blobs, int w, int h) {
        double mf = 0;
        double mx = 0;
        double my = 0;
        for (Blob b : blobs) {
            mf += b.frame;
            mx += b.cx / w;
            my += b.cy / h;
        }
        int n = blobs.size();
        mf /= n;
        mx /= n;
        my /= n;
        double sff = 0;
        double sfx = 0;
        double sfy = 0;
        for (Blob b : blobs) {
            double df = b.frame - mf;
            sff += df * df;
            sfx += df * (b.cx / w - mx);
            sfy += df * (b.cy / h - my);
        }
        double vx = sfx / sff;
        double vy = sfy / sff;
        Direction d = Math.abs(vx) >= Math.abs(vy)
                ? (vx < 0 ? Direction.LEFT : Direction.RIGHT)
                : (vy < 0 ? Direction.UP : Direction.DOWN);
        double major = Math.max(Math.abs(vx), Math.abs(vy));
        double minor = Math.min(Math.abs(vx), Math.abs(vy));
        double span = blobs.get(n - 1).frame - blobs.get(0).frame;
        // Dominance of the major axis, and a travel of at least ~3 working pixels over the clip to be sure at all.
        double travelPx = major * span * Math.min(w, h);
        if (travelPx < STILL_PX) {
            return new Motion(null, 0, String.format(Locale.ROOT,
                    "not moving (%.3f, %.3f frame widths/heights per frame)", vx, vy));
        }
        double confidence = (major - minor) / Math.max(1e-9, major + minor) * Math.min(1, travelPx / 3);
        return new Motion(d, confidence, String.format(Locale.ROOT,
                "moving %s (%.3f, %.3f frame widths/heights per frame)", d, vx, vy));
    }

    /**
     * The backdrop as row medians plus column medians of what the rows leave: exact for anything separable (flat,
     * gradients, stripes) and unmoved by an object covering less than half of any row or column.
     */
    static float[] medianPolish(float[] img, int w, int h) {
        float[] out = new float[img.length];
        float[] row = new float[w];
        float[] col = new float[h];
        float[] rowMed = new float[h * 3];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    row[x] = img[3 * (y * w + x) + c];
                }
                rowMed[y * 3 + c] = median(row);
            }
            for (int x = 0; x < w; x++) {
                for (int y = 0; y < h; y++) {
                    col[y] = img[3 * (y * w + x) + c] - rowMed[y * 3 + c];
                }
                float colMed = median(col);
                for (int y = 0; y < h; y++) {
                    out[3 * (y * w + x) + c] = rowMed[y * 3 + c] + colMed;
                }
            }
        }
        return out;
    }

    private static float median(float[] v) {
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** 3x3 box average of a 3-channel image, edges clamped. */
    private static float[] box3(float[] in, int w, int h) {
        float[] out = new float[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    float s = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        int yy = Math.max(0, Math.min(h - 1, y + dy));
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = Math.max(0, Math.min(w - 1, x + dx));
                            s += in[3 * (yy * w + xx) + c];
                        }
                    }
                    out[3 * (y * w + x) + c] = s / 9;
                }
            }
        }
        return out;
    }

    /** Frame {@code f} box-averaged by {@code k} (the remainder rows and columns dropped), as floats. */
    private static float[] downsample(byte[] rgb, int f, int width, int height, int k) {
        int w = width / k;
        int h = height / k;
        float[] out = new float[w * h * 3];
        long base = (long) f * width * height * 3;
        for (int y = 0; y < h * k; y++) {
            int oy = y / k;
            int rowBase = (int) (base + (long) y * width * 3);
            for (int x = 0; x < w * k; x++) {
                int o = 3 * (oy * w + x / k);
                int i = rowBase + 3 * x;
                out[o] += rgb[i] & 0xff;
                out[o + 1] += rgb[i + 1] & 0xff;
                out[o + 2] += rgb[i + 2] & 0xff;
            }
        }
        float norm = 1f / (k * k);
        for (int i = 0; i < out.length; i++) {
            out[i] *= norm;
        }
        return out;
    }

    private static int argMin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}

package org.kinora.effect.motionbrush.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.kinora.core.KinoraException;
import org.kinora.core.brush.MotionBrushes;
import org.kinora.core.brush.MotionSample;
import org.osgi.service.component.annotations.Component;

/**
 * What a brush file makes a still do, read from the fields the effect animates with ({@link MotionFields}), so a
 * painter's arrows show the effect's own motion: rotation faster at the rim, zoom growing with the distance from the
 * centre, cues as {@link Cues} reads them.
 */
@Component(service = MotionBrushes.class)
public final class MotionBrushSampler implements MotionBrushes {

    /** The fields are built at most this many pixels a side: arrows need no more, and a 4K still would cost seconds. */
    static final int SIDE = 320;
    /** The rate the fields are built at; the arrows are per second, so any rate gives the same ones. */
    private static final double FPS = 25;
    /** A steady motion's arrow is its travel in this many seconds. */
    private static final double ARROW_SECONDS = 0.5;
    /** Largest still side accepted, as the effect's stills. */
    private static final int MAX_SIDE = 16384;

    @Override
    public MotionSample sample(Path brushFile, int width, int height, int spacing, double seconds) throws KinoraException {
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new KinoraException("still size must be 1.." + MAX_SIDE + " a side, got " + width + "x" + height);
        }
        if (spacing < 1) {
            throw new KinoraException("arrow spacing must be at least 1 pixel, got " + spacing);
        }
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new KinoraException("clip length must be in (0, 3600] seconds, got " + seconds);
        }
        BrushFile file;
        try {
            file = BrushFileReader.read(brushFile, width, height);
        } catch (BrushFileException e) {
            throw new KinoraException(e.getMessage(), e);
        }
        double k = Math.min(1, (double) SIDE / Math.max(width, height));
        int w = Math.max(1, (int) Math.round(width * k));
        int h = Math.max(1, (int) Math.round(height * k));
        double sx = (double) w / width;
        double sy = (double) h / height;
        int total = Math.max(1, (int) Math.round(seconds * FPS));
        int[] still = {width, height};
        List<Brush> brushes = file.brushes();
        float[][] masks = new float[brushes.size()][];
        MotionFields[] fields = new MotionFields[brushes.size()];
        List<String> words = new ArrayList<>();
        for (int i = 0; i < brushes.size(); i++) {
            Brush b = brushes.get(i);
            masks[i] = Masks.of(b.region(), width, height, w, h);
            // each brush's own field: the arrow at a point is the motion of the brush on top there
            fields[i] = b.isStatic() ? null : MotionFields.build(List.of(b), still, w, h, FPS, total, false);
            words.add(describe(b, seconds));
        }
        // coarser when the grid would be too big, so a 1-pixel spacing on a large still stays bounded
        long cells = (long) Math.ceil((double) width / spacing) * (long) Math.ceil((double) height / spacing);
        int step = cells > MAX_ARROWS ? (int) Math.ceil(spacing * Math.sqrt((double) cells / MAX_ARROWS)) : spacing;
        List<MotionSample.Arrow> arrows = new ArrayList<>();
        for (double y = step / 2.0; y < height; y += step) {
            for (double x = step / 2.0; x < width; x += step) {
                int ox = Math.min(w - 1, (int) (x * sx));
                int oy = Math.min(h - 1, (int) (y * sy));
                int o = oy * w + ox;
                int top = -1;
                for (int i = brushes.size() - 1; i >= 0 && top < 0; i--) {
                    if (masks[i][o] >= 0.5f) {
                        top = i;
                    }
                }
                if (top < 0 || fields[top] == null) {
                    // unpainted, or held by a static brush: nothing moves there
                    continue;
                }
                // placed where the field was read: the centre of its pixel, in still pixels
                MotionSample.Arrow a = arrow(top + 1, fields[top], o, (ox + 0.5) / sx, (oy + 0.5) / sy, sx, sy);
                if (a != null && arrows.size() < MAX_ARROWS) {
                    arrows.add(a);
                }
            }
        }
        return new MotionSample(arrows, words);
    }

    private static MotionSample.Arrow arrow(int brush, MotionFields f, int o, double x, double y, double sx, double sy) {
        double ax = f.wave()[4 * o] / sx;
        double ay = f.wave()[4 * o + 1] / sy;
        if (f.wave()[4 * o + 3] > 0 && Math.hypot(ax, ay) > 1e-6) {
            return new MotionSample.Arrow(brush, x, y, ax, ay, true);
        }
        // output px per frame to still px per second, then over the arrow's time
        double vx = f.flow()[2 * o] / sx * FPS * ARROW_SECONDS;
        double vy = f.flow()[2 * o + 1] / sy * FPS * ARROW_SECONDS;
        return Math.hypot(vx, vy) > 1e-6 ? new MotionSample.Arrow(brush, x, y, vx, vy, false) : null;
    }

    /** A brush in words: its kind and figures as the effect will use them over a clip of {@code seconds}. */
    static String describe(Brush b, double seconds) {
        String what;
        Motion m = b.motion();
        if (m == null) {
            what = "static: held still";
        } else {
            String dir = String.format(Locale.ROOT, "(%.2f, %.2f)", m.dx(), m.dy());
            boolean directed = m.dx() != 0 || m.dy() != 0;
            double speed = m.speedOver(seconds);
            what = switch (m.kind()) {
                case FLOW -> String.format(Locale.ROOT, "flow toward %s at %.0f px/s", dir, speed);
                case SWAY -> String.format(Locale.ROOT, "sway along %s, %.1f px either side, every %.1f s", dir, m.amplitudeOver(seconds),
                        m.period());
                case RIPPLE -> String.format(Locale.ROOT, "ripple %s, waves of %.1f px every %.1f s travelling at %.0f px/s",
                        directed ? "toward " + dir : "spreading from the centre", m.amplitudeOver(seconds), m.period(), speed);
                case ROTATE -> String.format(Locale.ROOT, "rotate %s at %.0f px/s at the rim", m.clockwise() ? "clockwise" : "anticlockwise",
                        speed);
                case ZOOM -> Double.isNaN(m.rate())
                        ? String.format(Locale.ROOT, "zoom %s at %.0f px/s at the rim", speed < 0 ? "out" : "in", Math.abs(speed))
                        : String.format(Locale.ROOT, "zoom %s %.0f %% a second", m.rate() < 0 ? "out" : "in", Math.abs(m.rate()) * 100);
            };
        }
        return b.cue() != null ? "cue \"" + b.cue() + "\": " + what : what;
    }
}

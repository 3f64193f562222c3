package org.kinora.effect.motionbrush.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The dense motion the {@code motion-brush} model animates a still with, at the output size:
 * <ul>
 * <li>{@code flow}: per pixel (dx, dy), the Eulerian velocity in output pixels per frame (flow, rotate and zoom
 * brushes);</li>
 * <li>{@code wave}: per pixel (ax, ay, phase, period): an oscillation of amplitude (ax, ay) output pixels, phase in
 * radians and period in frames, 0 = none (sway and ripple brushes); the model displaces by
 * {@code a * sin(2 pi t / period - phase)}.</li>
 * <li>{@code hold}: per pixel, in [0, 1], how much of the still the model composites over the animated frame (static
 * brushes: a freeze mask).</li>
 * </ul>
 * Brushes are laid down in file order, each over the ones before: where a brush's soft mask is m, every channel becomes
 * (1 - m) of what was there plus m of the brush's own value. A moving brush's value is its motion (zero amplitude for a
 * flow-type brush, zero flow for a wave-type brush) and a hold of 0; a static brush leaves flow and wave as they are and
 * its value for the hold is 1. So a static brush inside a moving one does not stop the motion (which would pile moving
 * content up at its edge and drag it out in streaks): the motion runs on behind it and the still is shown over it, as a
 * cinemagraph's freeze mask; over unpainted pixels, which never move, it shows the still as it is anyway. A wave brush's
 * phase and period take over where its mask is at least 0.5 or where no earlier wave was. Unpainted pixels have zero
 * motion.
 *
 * @param width  output width
 * @param height output height
 * @param flow   {@code height * width * 2} floats, row-major (dx, dy)
 * @param wave   {@code height * width * 4} floats, row-major (ax, ay, phase, period)
 * @param hold   {@code height * width} floats in [0, 1], row-major
 */
public record MotionFields(int width, int height, float[] flow, float[] wave, float[] hold) {

    /**
     * Builds the fields for an output of {@code width x height} at {@code fps}, {@code total} frames long.
     *
     * @param still the still's own size, the brush file's coordinate space: {width, height}
     * @param loop  whether the clip loops (wave periods are then rounded to divide the clip's length)
     */
    public static MotionFields build(List<Brush> brushes, int[] still, int width, int height, double fps, int total, boolean loop) {
        int n = width * height;
        float[] flow = new float[n * 2];
        float[] wave = new float[n * 4];
        float[] hold = new float[n];
        double sx = (double) width / still[0];
        double sy = (double) height / still[1];
        double seconds = total / fps;
        for (Brush b : brushes) {
            float[] m = Masks.of(b.region(), still[0], still[1], width, height);
            if (b.isStatic()) {
                for (int i = 0; i < n; i++) {
                    hold[i] += m[i] * (1f - hold[i]);
                }
                continue;
            }
            Painter p = new Painter(b.motion(), m, width, height, sx, sy, fps, seconds, total, loop);
            float[] v = new float[2];
            float[] a = new float[4];
            for (int i = 0; i < n; i++) {
                float w = m[i];
                if (w <= 0) {
                    continue;
                }
                v[0] = v[1] = 0;
                a[0] = a[1] = a[2] = a[3] = 0;
                p.at(i % width, i / width, v, a);
                hold[i] *= 1f - w;
                flow[2 * i] += w * (v[0] - flow[2 * i]);
                flow[2 * i + 1] += w * (v[1] - flow[2 * i + 1]);
                wave[4 * i] += w * (a[0] - wave[4 * i]);
                wave[4 * i + 1] += w * (a[1] - wave[4 * i + 1]);
                if (a[3] > 0) {
                    if (w >= 0.5f || wave[4 * i + 3] <= 0) {
                        wave[4 * i + 2] = a[2];
                        wave[4 * i + 3] = a[3];
                    }
                } else if (w >= 1f) {
                    wave[4 * i + 2] = 0;
                    wave[4 * i + 3] = 0;
                }
            }
        }
        return new MotionFields(width, height, flow, wave, hold);
    }

    /** The wave period in frames: when looping, rounded so a whole number of periods fills the clip. */
    static double periodFrames(double seconds, double fps, int total, boolean loop) {
        double t = seconds * fps;
        if (loop && total > 0) {
            long k = Math.max(1, Math.round(total / t));
            t = (double) total / k;
        }
        return t;
    }

    /** {@code flow} as little-endian FP32 bytes. */
    public ByteBuffer flowBytes() {
        return bytes(flow);
    }

    /** {@code wave} as little-endian FP32 bytes. */
    public ByteBuffer waveBytes() {
        return bytes(wave);
    }

    /** {@code hold} as little-endian FP32 bytes. */
    public ByteBuffer holdBytes() {
        return bytes(hold);
    }

    private static ByteBuffer bytes(float[] f) {
        ByteBuffer b = ByteBuffer.allocate(f.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f);
        return b;
    }

    /** One moving brush's velocity and wave at each output pixel. */
    private static final class Painter {
        private final Motion motion;
        private final double sx;
        private final double sy;
        private final double fps;
        private final double speed;
        /** Region centre and radius in still pixels. */
        private double cx;
        private double cy;
        private double radius;
        private final double amplitude;
        private final double periodFrames;
        private final double wavelength;

        Painter(Motion motion, float[] mask, int w, int h, double sx, double sy, double fps, double seconds, int total, boolean loop) {
            this.motion = motion;
            this.sx = sx;
            this.sy = sy;
            this.fps = fps;
            this.speed = motion.speedOver(seconds);
            MotionKind k = motion.kind();
            if (k == MotionKind.RIPPLE || k == MotionKind.ROTATE || k == MotionKind.ZOOM) {
                centre(mask, w, h);
            }
            if (k == MotionKind.SWAY || k == MotionKind.RIPPLE) {
                amplitude = motion.amplitudeOver(seconds);
                periodFrames = periodFrames(motion.period(), fps, total, loop);
                wavelength = speed * periodFrames / fps;
            } else {
                amplitude = 0;
                periodFrames = 0;
                wavelength = 0;
            }
        }

        /** Mask-weighted centre of the painted part (mask at least 0.5) and the farthest painted pixel's distance. */
        private void centre(float[] mask, int w, int h) {
            float cut = 0.5f;
            double sum = 0;
            double mx = 0;
            double my = 0;
            for (int pass = 0; pass < 2 && sum == 0; pass++) {
                for (int i = 0; i < mask.length; i++) {
                    if (mask[i] >= cut) {
                        sum += mask[i];
                        mx += mask[i] * ((i % w) + 0.5) / sx;
                        my += mask[i] * ((i / w) + 0.5) / sy;
                    }
                }
                if (sum == 0) {
                    cut = Float.MIN_VALUE; // a sliver thinner than a pixel: use what there is
                }
            }
            cx = sum > 0 ? mx / sum : 0;
            cy = sum > 0 ? my / sum : 0;
            double r = 0;
            for (int i = 0; i < mask.length; i++) {
                if (mask[i] >= cut) {
                    r = Math.max(r, Math.hypot(((i % w) + 0.5) / sx - cx, ((i / w) + 0.5) / sy - cy));
                }
            }
            radius = Math.max(r, 1);
        }

        /** Velocity (output px/frame) into {@code v}, wave (ax, ay in output px, phase, period in frames) into {@code a}. */
        void at(int x, int y, float[] v, float[] a) {
            double px = (x + 0.5) / sx;
            double py = (y + 0.5) / sy;
            double vx = 0;
            double vy = 0;
            switch (motion.kind()) {
                case FLOW -> {
                    vx = motion.dx() * speed;
                    vy = motion.dy() * speed;
                }
                case ROTATE -> {
                    double omega = (motion.clockwise() ? 1 : -1) * speed / radius;
                    // screen y points down, so (-dy, dx) turns clockwise on screen
                    vx = -omega * (py - cy);
                    vy = omega * (px - cx);
                }
                case ZOOM -> {
                    double rate = Double.isNaN(motion.rate()) ? speed / radius : motion.rate();
                    vx = rate * (px - cx);
                    vy = rate * (py - cy);
                }
                case SWAY -> {
                    a[0] = (float) (amplitude * motion.dx() * sx);
                    a[1] = (float) (amplitude * motion.dy() * sy);
                    a[3] = (float) periodFrames;
                }
                case RIPPLE -> {
                    double ux;
                    double uy;
                    double along;
                    if (motion.dx() != 0 || motion.dy() != 0) {
                        ux = motion.dx();
                        uy = motion.dy();
                        along = px * ux + py * uy;
                    } else {
                        along = Math.hypot(px - cx, py - cy);
                        ux = along > 0 ? (px - cx) / along : 0;
                        uy = along > 0 ? (py - cy) / along : 0;
                    }
                    a[0] = (float) (amplitude * ux * sx);
                    a[1] = (float) (amplitude * uy * sy);
                    a[2] = (float) (wavelength > 0 ? 2 * Math.PI * along / wavelength : 0);
                    a[3] = (float) periodFrames;
                }
                default -> throw new IllegalStateException();
            }
            v[0] = (float) (vx * sx / fps);
            v[1] = (float) (vy * sy / fps);
        }
    }
}

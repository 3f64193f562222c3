package org.kinora.samples.world;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * Samples and renders scenes of the world. Rendering is pure arithmetic on doubles (no Java2D, no threads), so the same
 * scene gives the same bytes on every machine, and it is fast enough to feed a trainer: a 56x32 frame takes a few
 * microseconds.
 *
 * <p>Everything is measured relative to the frame: the object's size against the shorter side, its motion in frame
 * widths (LEFT/RIGHT) or heights (UP/DOWN) per second, the backdrop's texture in shorter sides. So a scene looks the
 * same at 56x32 as at 1920x1080, and is framed the same (wider or taller) at other aspect ratios.
 */
public final class World {

    /** Slowest sampled speed, in frame widths (or heights) per second. */
    public static final double MIN_SPEED = 0.25;
    /** Fastest sampled speed, in frame widths (or heights) per second. */
    public static final double MAX_SPEED = 0.45;
    /**
     * How far {@link #sample} moves the middle of the object's trip from the frame's centre, at most, along and across
     * the motion, as a fraction of the frame.
     */
    public static final double JITTER = 0.1;
    /** Gap kept between the object and the frame's edge by {@link #sample}, as a fraction of the frame. */
    public static final double MARGIN = 0.02;
    /** How far the backdrop drifts under {@link Camera#PAN}, in shorter sides per second. */
    public static final double PAN_SPEED = 0.12;
    /** How fast the backdrop grows under {@link Camera#ZOOM}: scale 1 + ZOOM_RATE * t. */
    public static final double ZOOM_RATE = 0.3;
    /** Largest frame side render() accepts. */
    public static final int MAX_SIDE = 4096;

    private static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private World() {
    }

    /**
     * A random scene: shape, hue, size, direction, backdrop and camera uniform; speed uniform in [{@link #MIN_SPEED},
     * {@link #MAX_SPEED}]; the trip centred on the frame's centre give or take {@link #JITTER} (uniform), and kept fully
     * in frame (with {@link #MARGIN} to spare) for {@code seconds}, at any aspect ratio. The object is near the middle
     * as a camera operator frames a subject, and a model trained on these scenes spends its capacity on what a prompt
     * names (shape, colour, size, direction, backdrop, camera) rather than on where in the frame the object happens to be. When the trip would not fit (long clips), the speed is lowered until it
     * does. Draws from {@code rnd} in a fixed order, so a seeded Random gives the same scenes.
     *
     * @param rnd     the source of randomness
     * @param seconds how long the clip lasts, > 0
     */
    public static Scene sample(Random rnd, double seconds) {
        Objects.requireNonNull(rnd, "rnd");
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new IllegalArgumentException("seconds must be in (0, 3600], got " + seconds);
        }
        Shape shape = pick(Shape.values(), rnd);
        Hue hue = pick(Hue.values(), rnd);
        Size size = pick(Size.values(), rnd);
        Direction direction = pick(Direction.values(), rnd);
        Backdrop backdrop = pick(Backdrop.values(), rnd);
        Camera camera = pick(Camera.values(), rnd);
        double speed = MIN_SPEED + rnd.nextDouble() * (MAX_SPEED - MIN_SPEED);
        // The object's half extent is at most size/2 of a frame fraction: equal when that axis is the shorter side.
        double half = size.fraction() / 2 + MARGIN;
        double room = 1 - 2 * half;
        double travel = speed * seconds;
        if (travel > room) {
            speed = room / seconds;
            travel = room;
        }
        double low = clamp(0.5 - travel / 2 + (2 * rnd.nextDouble() - 1) * JITTER, half, half + room - travel);
        double across = clamp(0.5 + (2 * rnd.nextDouble() - 1) * JITTER, half, half + room);
        boolean forward = direction.dx() + direction.dy() > 0;
        double along = forward ? low : low + travel;
        double startX = direction.horizontal() ? along : across;
        double startY = direction.horizontal() ? across : along;
        return new Scene(shape, hue, size, direction, backdrop, camera, startX, startY, speed);
    }

    /**
     * Renders frames at times t = i / fps, i = 0..frames-1: packed RGB bytes, frame after frame, rows top to bottom,
     * {@code width * height * 3} bytes per frame. The object's edges are anti-aliased by its exact coverage of each
     * pixel; the backdrop's fine texture is faded out where it would alias at small sizes.
     *
     * @param s      the scene
     * @param width  frame width in pixels, 1..{@value #MAX_SIDE}
     * @param height frame height in pixels, 1..{@value #MAX_SIDE}
     * @param frames how many frames, >= 1
     * @param fps    frames per second, > 0
     */
    public static byte[] render(Scene s, int width, int height, int frames, double fps) {
        return render(s, width, height, frames, fps, true);
    }

    /**
     * As {@link #render(Scene, int, int, int, double)}, into {@code out} from byte {@code offset}: a trainer can render
     * a whole batch into one array without copying.
     *
     * @throws IllegalArgumentException when the clip does not fit in {@code out} from {@code offset}
     */
    public static void renderInto(Scene s, int width, int height, int frames, double fps, byte[] out, int offset) {
        Objects.requireNonNull(out, "out");
        long bytes = check(s, width, height, frames, fps);
        if (offset < 0 || offset + bytes > out.length) {
            throw new IllegalArgumentException("a clip of " + bytes + " bytes does not fit at offset " + offset
                    + " of an array of " + out.length);
        }
        draw(s, width, height, frames, fps, true, out, offset);
    }

    /** As {@link #render(Scene, int, int, int, double)}; without the object when {@code object} is false (tests). */
    static byte[] render(Scene s, int width, int height, int frames, double fps, boolean object) {
        byte[] out = new byte[(int) check(s, width, height, frames, fps)];
        draw(s, width, height, frames, fps, object, out, 0);
        return out;
    }

    /** Checks the arguments; returns the clip's size in bytes. */
    private static long check(Scene s, int width, int height, int frames, double fps) {
        Objects.requireNonNull(s, "scene");
        if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("frame size must be 1.." + MAX_SIDE + " a side, got " + width + "x"
                    + height);
        }
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be >= 1, got " + frames);
        }
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        long bytes = (long) width * height * 3 * frames;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("clip too large: " + frames + " frames of " + width + "x" + height
                    + " exceed " + MAX_BYTES + " bytes");
        }
        return bytes;
    }

    private static void draw(Scene s, int width, int height, int frames, double fps, boolean object, byte[] out,
            int offset) {
        int frameBytes = width * height * 3;
        Backdrops backdrop = new Backdrops(s, width, height);
        for (int f = 0; f < frames; f++) {
            double t = f / fps;
            int base = offset + frameBytes * f;
            backdrop.draw(out, base, t);
            if (object) {
                drawObject(s, t, out, base, width, height);
            }
        }
    }

    /**
     * The object's coverage of each pixel (0: none, 1: fully inside, fractions at the outline), {@code frames * height *
     * width} values in frame, row, column order, written into {@code out} from {@code offset}: where in a rendered clip
     * the object is, for a trainer that weighs the object's pixels.
     *
     * @throws IllegalArgumentException when the sizes are out of range or the coverage does not fit in {@code out}
     */
    public static void coverageInto(Scene s, int width, int height, int frames, double fps, float[] out, int offset) {
        Objects.requireNonNull(out, "out");
        long bytes = check(s, width, height, frames, fps);
        long values = bytes / 3;
        if (offset < 0 || offset + values > out.length) {
            throw new IllegalArgumentException("a coverage of " + values + " values does not fit at offset " + offset
                    + " of an array of " + out.length);
        }
        for (int f = 0; f < frames; f++) {
            int base = offset + width * height * f;
            Arrays.fill(out, base, base + width * height, 0f);
            forEachCovered(s, f / fps, width, height, (pixel, a) -> out[base + pixel] = (float) a);
        }
    }

    /** Draws the object over the frame at {@code base}, blending each pixel by the object's coverage of it. */
    private static void drawObject(Scene s, double t, byte[] out, int base, int w, int h) {
        int hr = s.hue().r();
        int hg = s.hue().g();
        int hb = s.hue().b();
        forEachCovered(s, t, w, h, (pixel, a) -> {
            int i = base + pixel * 3;
            out[i] = blend(out[i], hr, a);
            out[i + 1] = blend(out[i + 1], hg, a);
            out[i + 2] = blend(out[i + 2], hb, a);
        });
    }

    /** A pixel (row-major index in the frame) the object covers, and by how much (0, 1]. */
    private interface Covered {
        void at(int pixel, double coverage);
    }

    /** Calls {@code covered} for every pixel of a {@code w x h} frame the object covers at time {@code t}. */
    private static void forEachCovered(Scene s, double t, int w, int h, Covered covered) {
        double side = s.size().fraction() * Math.min(w, h);
        double half = side / 2;
        double cx = s.x(t) * w;
        double cy = s.y(t) * h;
        int x0 = Math.max(0, (int) Math.floor(cx - half - 1));
        int x1 = Math.min(w - 1, (int) Math.ceil(cx + half + 1));
        int y0 = Math.max(0, (int) Math.floor(cy - half - 1));
        int y1 = Math.min(h - 1, (int) Math.ceil(cy + half + 1));
        double invSqrt5 = 1 / Math.sqrt(5);
        for (int y = y0; y <= y1; y++) {
            double py = y + 0.5;
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5;
                // Signed distance to the outline in pixels (negative inside); coverage = 0.5 - distance, clamped.
                double d = switch (s.shape()) {
                    case CIRCLE -> Math.hypot(px - cx, py - cy) - half;
                    case SQUARE -> Math.max(Math.abs(px - cx), Math.abs(py - cy)) - half;
                    case TRIANGLE -> {
                        double bottom = cy + half;
                        double left = (-2 * (px - (cx - half)) - (py - bottom)) * invSqrt5;
                        double right = (2 * (px - (cx + half)) - (py - bottom)) * invSqrt5;
                        yield Math.max(py - bottom, Math.max(left, right));
                    }
                };
                double a = 0.5 - d;
                if (a > 0) {
                    covered.at(y * w + x, Math.min(a, 1));
                }
            }
        }
    }

    private static byte blend(byte under, int over, double a) {
        double v = (under & 0xff) * (1 - a) + over * a;
        return (byte) (int) (v + 0.5);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static <T> T pick(T[] values, Random rnd) {
        return values[rnd.nextInt(values.length)];
    }
}

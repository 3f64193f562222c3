package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.samples.world.Backdrop;
import org.kinora.samples.world.Camera;
import org.kinora.samples.world.Captions;
import org.kinora.samples.world.Direction;
import org.kinora.samples.world.Hue;
import org.kinora.samples.world.Shape;
import org.kinora.samples.world.Size;
import org.kinora.samples.world.ClipScorer;
import org.kinora.samples.world.Scene;
import org.kinora.samples.world.World;

/**
 * The {@code generate} effect measured through the real command line with the built-in model: prompts it never saw in
 * training (held-out paraphrases of its world) are generated into a 16:9 Shotcut project and read back by
 * {@link ClipScorer} (shape, colour and direction from the pixels alone); a seed makes the same clip again; a clip four
 * times the model's native length is made in chunks whose joins must not jump or drift in colour.
 */
class GenerateMeasureTest {

    static final int W = 640;
    static final int H = 360;
    static final int N = 50;
    /** Held-out prompts scored. */
    static final int PROMPTS = 16;
    static final int STEPS = 16;
    static final Pattern MEDIA = Pattern.compile("media:\\s+(\\S+)");

    @TempDir
    static Path dir;
    static Path project;

    @BeforeAll
    static void project() throws Exception {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(img, "png", dir.resolve("black.png").toFile());
        project = Files.writeString(dir.resolve("edit.mlt"), MotionBrushMeasureTest.shotcutProject("black.png", W, H, N));
    }

    /** Generates into a new project file; returns the media. */
    static Path generate(String name, String prompt, double seconds, long seed, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("generate", project.toString(), "--prompt", prompt, "--duration",
                String.valueOf(seconds), "--seed", String.valueOf(seed), "--steps", String.valueOf(STEPS), "--codec", "ffv1", "--out",
                dir.resolve(name + ".mlt").toString()));
        args.addAll(List.of(more));
        SharedRuntime.Result r = SharedRuntime.cli(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.all());
        Matcher m = MEDIA.matcher(r.all());
        assertTrue(m.find(), "the media is named: " + r.all());
        return Path.of(m.group(1));
    }

    static byte[] rgb(int[][] frames) {
        byte[] out = new byte[frames.length * W * H * 3];
        int o = 0;
        for (int[] f : frames) {
            for (int p : f) {
                out[o++] = (byte) (p >> 16);
                out[o++] = (byte) (p >> 8);
                out[o++] = (byte) p;
            }
        }
        return out;
    }

    /**
     * Scores clips of prompts never trained on (held-out synonyms and templates). The built-in model as trained today
     * follows the backdrop a prompt names (asserted: at least half of the prompts that name one) and the object's colour
     * (asserted: at least 6 of 16, chance 1 in 6). Its direction is right in half of them (chance a quarter): asserted at
     * least 6 of 16, a floor against losing it rather than the margin over chance the model should reach. Shape (below
     * chance) is reported, not asserted (see the README's Generate section).
     */
    @Test
    void heldOutPromptsAreScoredAndTheirBackdropColourAndDirectionAreFollowed() throws Exception {
        Random rnd = new Random(20261121);
        int shape = 0;
        int hue = 0;
        int direction = 0;
        int backdrop = 0;
        int namedBackdrops = 0;
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < PROMPTS; i++) {
            Scene s = World.sample(rnd, 1.0);
            String prompt = Captions.heldOut(s, rnd);
            Path media = generate("held-" + i, prompt, 1.0, 1000 + i);
            int[][] frames = Tools.decodeAll(media, W, H);
            ClipScorer.Reading r = ClipScorer.read(rgb(frames), W, H, frames.length);
            shape += r.shape() == s.shape() ? 1 : 0;
            hue += r.hue() == s.hue() ? 1 : 0;
            direction += r.direction() == s.direction() ? 1 : 0;
            Backdrop seen = backdrop(frames[frames.length / 2]);
            boolean named = Captions.heldOutWords(s.backdrop()).stream().anyMatch(w -> prompt.toLowerCase(Locale.ROOT).contains(w));
            if (named) {
                namedBackdrops++;
                backdrop += seen == s.backdrop() ? 1 : 0;
            }
            log.append(String.format(Locale.ROOT, "  \"%s\": read %s %s %s on %s (wanted %s %s %s on %s)%n", prompt, r.hue(), r.shape(),
                    r.direction(), seen, s.hue(), s.shape(), s.direction(), s.backdrop()));
            if (i == 0) {
                PoseAnimateMeasureTest.saveFrames(media, "generate-held-0", 0, 12, 24);
            }
        }
        System.out.print(log);
        System.out.printf(Locale.ROOT, "generate: backdrop %d of %d prompts naming one (chance 0.17)%n", backdrop, namedBackdrops);
        System.out.printf(Locale.ROOT, "generate: %d held-out prompts, accuracy: colour %.2f (chance 0.17), shape %.2f (chance 0.33),"
                + " direction %.2f (chance 0.25)%n", PROMPTS, hue / (double) PROMPTS, shape / (double) PROMPTS, direction / (double) PROMPTS);
        assertTrue(namedBackdrops >= PROMPTS / 2, "most held-out prompts name a backdrop: " + namedBackdrops);
        assertTrue(backdrop >= namedBackdrops / 2.0,
                "backdrop followed in " + backdrop + " of " + namedBackdrops + ": not at least half (chance 1 in 6)");
        assertTrue(hue >= 6, "colour of held-out wording right in " + hue + " of " + PROMPTS + " (chance 1 in 6)");
        assertTrue(direction >= 6, "direction of held-out wording right in " + direction + " of " + PROMPTS + " (chance 1 in 4)");
    }

    /**
     * New scenes worded with the training vocabulary (never these sentences: each is drawn afresh): the model draws the
     * object in the colour the prompt names and moves it the way the prompt says (both asserted far above chance); shape
     * is reported, not asserted (see the README's Generate section).
     */
    @Test
    void trainingWordingOnNewScenesGetsTheObjectsColourAndDirection() throws Exception {
        Random rnd = new Random(7);
        int shape = 0;
        int hue = 0;
        int direction = 0;
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < PROMPTS; i++) {
            Scene s = World.sample(rnd, 1.0);
            String prompt = Captions.train(s, rnd);
            int[][] frames = Tools.decodeAll(generate("train-" + i, prompt, 1.0, 2000 + i), W, H);
            ClipScorer.Reading r = ClipScorer.read(rgb(frames), W, H, frames.length);
            shape += r.shape() == s.shape() ? 1 : 0;
            hue += r.hue() == s.hue() ? 1 : 0;
            direction += r.direction() == s.direction() ? 1 : 0;
            log.append(String.format(Locale.ROOT, "  \"%s\": read %s %s %s (wanted %s %s %s)%n", prompt, r.hue(), r.shape(), r.direction(),
                    s.hue(), s.shape(), s.direction()));
        }
        System.out.print(log);
        System.out.printf(Locale.ROOT, "generate: %d prompts of training wording, accuracy: colour %.2f (chance 0.17), shape %.2f (chance"
                + " 0.33), direction %.2f (chance 0.25)%n", PROMPTS, hue / (double) PROMPTS, shape / (double) PROMPTS,
                direction / (double) PROMPTS);
        assertTrue(hue >= PROMPTS * 5 / 8, "colour right in " + hue + " of " + PROMPTS + " (chance 1 in 6)");
        assertTrue(direction >= PROMPTS * 5 / 8, "direction right in " + direction + " of " + PROMPTS + " (chance 1 in 4)");
    }

    /** The backdrop whose rendered colour (median over a still clip of it) is nearest the frame's median colour. */
    static Backdrop backdrop(int[] frame) {
        int[] m = median(frame);
        Backdrop best = null;
        double bestD = Double.MAX_VALUE;
        for (Backdrop b : Backdrop.values()) {
            byte[] rgb = World.render(new Scene(Shape.SQUARE, Hue.WHITE, Size.SMALL, Direction.LEFT, b, Camera.STILL, 0.5, 0.5, 0), 64, 36, 1, 8);
            int[] px = new int[64 * 36];
            for (int i = 0; i < px.length; i++) {
                px[i] = (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | rgb[3 * i + 2] & 0xff;
            }
            int[] ref = median(px);
            double d = Math.hypot(Math.hypot(m[0] - ref[0], m[1] - ref[1]), m[2] - ref[2]);
            if (d < bestD) {
                bestD = d;
                best = b;
            }
        }
        return best;
    }

    private static int[] median(int[] frame) {
        int[] out = new int[3];
        for (int c = 0; c < 3; c++) {
            int[] v = new int[frame.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = frame[i] >> (16 - 8 * c) & 0xff;
            }
            Arrays.sort(v);
            out[c] = v[v.length / 2];
        }
        return out;
    }

    @Test
    void aSeedMakesTheSameClipAndAnotherSeedAnother() throws Exception {
        String prompt = "a yellow square moving right on a grey background";
        int[][] a = Tools.decodeAll(generate("seed-a", prompt, 1.0, 7), W, H);
        int[][] b = Tools.decodeAll(generate("seed-b", prompt, 1.0, 7), W, H);
        int[][] c = Tools.decodeAll(generate("seed-c", prompt, 1.0, 8), W, H);
        assertEquals(25, a.length);
        for (int t = 0; t < a.length; t++) {
            assertArrayEquals(a[t], b[t], "frame " + t + " of the same seed");
        }
        assertFalse(Arrays.equals(a[12], c[12]), "another seed, another clip");
    }

    /**
     * A clip four times the model's native length is made in chunks, each continuing from the last two frames of the one
     * before. Colour is read from the backdrop: per frame, the median of each channel (the backdrop covers most of the
     * frame, so the object barely moves it). A frame's step across a join must be like a step inside a chunk, no join
     * may change the colour by more than 4 levels beyond what a chunk's own frames would, and the last second must keep
     * the first one's colour (the joins must not add up to a drift). The whole frame's mean brightness, which the
     * object's size and place move too, is reported beside it.
     */
    @Test
    void longClipsAreMadeInChunksWithoutColourDriftAtTheJoins() throws Exception {
        Path media = generate("long", "a white circle moving up against a night sky background", 4.0, 11);
        PoseAnimateMeasureTest.saveFrames(media, "generate-long", 0, 21, 25, 40, 44, 99);
        int[][] f = Tools.decodeAll(media, W, H);
        assertEquals(100, f.length);
        double[][] backdrop = new double[f.length][];
        double[][] brightness = new double[f.length][1];
        for (int t = 0; t < f.length; t++) {
            backdrop[t] = Arrays.stream(median(f[t])).asDoubleStream().toArray();
            long sum = 0;
            for (int p : f[t]) {
                sum += (p >> 16 & 0xff) + (p >> 8 & 0xff) + (p & 0xff);
            }
            brightness[t][0] = sum / (3.0 * W * H);
        }
        // native frames at 8 fps: the first chunk makes native frames 0-7, each later one 6 more (it starts on the last
        // 2 of the one before), so chunk k's first new frame is native 8 + 6 (k - 1); output frame t shows native t * 8 / 25
        List<Integer> joins = List.of(8, 14, 20, 26);
        double[] colour = joinSteps(backdrop, joins);
        double[] mean = joinSteps(brightness, joins);
        double overall = distance(average(backdrop, 0, 25), average(backdrop, 75, 100));
        System.out.printf(Locale.ROOT, "generate: 4 s in chunks: backdrop colour change per frame %.3f levels (median inside chunks),"
                + " %.3f (worst across a join); across a join's native step %.2f levels beyond that (largest of %d; mean %.2f); first"
                + " to last second %.2f levels; mean brightness (object included) %.3f inside, %.3f worst across a join%n", colour[0],
                colour[1], colour[2], joins.size(), colour[3], overall, mean[0], mean[1]);
        assertTrue(colour[1] <= 3 * colour[0] + 1.0, "a join changes the backdrop's colour by " + colour[1] + " levels in a frame"
                + " against " + colour[0] + " inside chunks");
        assertTrue(colour[2] <= 4.0, "a join changes the backdrop's colour by " + colour[2] + " levels beyond a step inside a chunk");
        assertTrue(overall < 3.0, "the backdrop's colour drifts " + overall + " levels from the first second to the last");
        String saved = Files.readString(dir.resolve("long.mlt"));
        assertTrue(saved.contains("kinora:effect") && saved.contains("generate") && saved.contains("night sky"), "provenance in the project");
    }

    /**
     * For per-frame values {@code v[t]}: the median change from one frame to the next inside chunks, the largest across a
     * join (the joins given as the native frame each starts at, 8 fps, shown at 25), and the change across each join's
     * native step beyond what the median would make of it in as many frames, largest and mean: {@code {median, worst,
     * largest join, mean join}}, changes as the mean absolute difference of the values.
     */
    private static double[] joinSteps(double[][] v, List<Integer> joins) {
        List<Double> inside = new ArrayList<>();
        double worst = 0;
        for (int t = 1; t < v.length; t++) {
            int at = t;
            double d = distance(v[t], v[t - 1]);
            // the step from t - 1 to t shows part of the native step into n when it overlaps [n - 1, n]
            if (joins.stream().anyMatch(n -> (at - 1) * 8 / 25.0 < n && at * 8 / 25.0 > n - 1)) {
                worst = Math.max(worst, d);
            } else {
                inside.add(d);
            }
        }
        double median = inside.stream().sorted().toList().get(inside.size() / 2);
        double largest = 0;
        double sum = 0;
        for (int n : joins) {
            int from = (int) Math.ceil((n - 1) * 25 / 8.0);
            int to = Math.min(v.length - 1, (int) Math.floor(n * 25 / 8.0));
            double beyond = Math.max(0, distance(v[to], v[from]) - median * (to - from));
            largest = Math.max(largest, beyond);
            sum += beyond;
        }
        return new double[] {median, worst, largest, sum / joins.size()};
    }

    private static double[] average(double[][] v, int from, int to) {
        double[] a = new double[v[from].length];
        for (int t = from; t < to; t++) {
            for (int c = 0; c < a.length; c++) {
                a[c] += v[t][c] / (to - from);
            }
        }
        return a;
    }

    private static double distance(double[] a, double[] b) {
        double d = 0;
        for (int c = 0; c < a.length; c++) {
            d += Math.abs(a[c] - b[c]);
        }
        return d / a.length;
    }

    /**
     * The anchor: a picture of the world (a large yellow square against the sky) is the only clip of a project, and {@code
     * --anchor V1:1@0} starts the clip from it. The sampler keeps the picture as the clip's first frame, so that frame
     * must be the picture save for the trip to the model's native size and back (under a third of an unanchored clip's
     * distance from it, same prompt and seed), and the clip must keep its subject: ClipScorer reads the square's colour.
     */
    @Test
    void anAnchorPictureKeepsItsLookAndSubject() throws Exception {
        Scene still = new Scene(Shape.SQUARE, Hue.YELLOW, Size.LARGE, Direction.RIGHT, Backdrop.SKY, Camera.STILL, 0.35, 0.5, 0);
        byte[] px = World.render(still, W, H, 1, 8);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        int[] anchor = new int[W * H];
        for (int i = 0; i < anchor.length; i++) {
            anchor[i] = (px[3 * i] & 0xff) << 16 | (px[3 * i + 1] & 0xff) << 8 | px[3 * i + 2] & 0xff;
        }
        img.setRGB(0, 0, W, H, anchor, 0, W);
        ImageIO.write(img, "png", dir.resolve("square.png").toFile());
        Path anchored = Files.writeString(dir.resolve("anchored.mlt"), MotionBrushMeasureTest.shotcutProject("square.png", W, H, N));
        String prompt = "a big yellow square sliding right against the sky";
        Path saved = project;
        int[][] with;
        int[][] without;
        try {
            project = anchored;
            with = Tools.decodeAll(generate("anchor-with", prompt, 1.0, 3, "--anchor", "V1:1@0"), W, H);
            without = Tools.decodeAll(generate("anchor-without", prompt, 1.0, 3), W, H);
        } finally {
            project = saved;
        }
        double dWith = meanDifference(with[0], anchor);
        double dWithout = meanDifference(without[0], anchor);
        ClipScorer.Reading r = ClipScorer.read(rgb(with), W, H, with.length);
        System.out.printf(Locale.ROOT, "generate: anchored on a picture: first frame %.1f levels from it (unanchored: %.1f); read %s %s %s (%s)%n",
                dWith, dWithout, r.hue(), r.shape(), r.direction(), r.why());
        assertTrue(dWith < dWithout / 3, "anchored first frame " + dWith + " levels from the picture, unanchored " + dWithout);
        assertEquals(Hue.YELLOW, r.hue(), r.why());
        // the shape is reported, not asserted: the model keeps the anchor's colour and place, but its square loses its
        // corners over the clip (the scorer's templates come out nearly tied; see the README's Generate section)
    }

    private static double meanDifference(int[] a, int[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            for (int sh = 0; sh <= 16; sh += 8) {
                d += Math.abs((a[i] >> sh & 0xff) - (b[i] >> sh & 0xff));
            }
        }
        return d / (3.0 * a.length);
    }

    /**
     * The upsampler slot with a real TorchScript network through the real service: {@code nearest2x.pt} (made by the
     * inference module's make_torchscript.py: [1, 3, H, W] -> [1, 3, 2H, 2W], pixels repeated) registered with {@code kinora
     * models add}, then named by {@code --upsampler}. Its frames are the native ones doubled, so the clip must differ from
     * the bicubic-only clip of the same seed a little (blockier edges), not be equal (the network was not run) and not
     * differ much (a channel or layout mix-up).
     */
    @Test
    void aSuperResolutionExportFillsTheUpsamplerSlot() throws Exception {
        String id = "itest-nearest2x";
        Path pt = Path.of("../inference/src/test/resources/torchscript/nearest2x.pt").toAbsolutePath().normalize();
        Path store = Path.of(System.getProperty("kinora.models"));
        try {
            SharedRuntime.Result add = SharedRuntime.cli("models", "add", id, pt.toString(), "--task", "super-resolution", "--input",
                    "image:FP32:1,3,-1,-1", "--output", "image:FP32:1,3,-1,-1", "--license", "GPL-3.0-or-later", "--replace");
            assertEquals(0, add.exit(), add.all());
            String prompt = "a red circle moving left on grass";
            int[][] plain = Tools.decodeAll(generate("up-bicubic", prompt, 1.0, 5), W, H);
            int[][] learned = Tools.decodeAll(generate("up-learned", prompt, 1.0, 5, "--upsampler", id), W, H);
            double diff = 0;
            for (int t = 0; t < plain.length; t++) {
                for (int i = 0; i < plain[t].length; i++) {
                    for (int sh = 0; sh <= 16; sh += 8) {
                        diff += Math.abs((plain[t][i] >> sh & 0xff) - (learned[t][i] >> sh & 0xff));
                    }
                }
            }
            diff /= plain.length * (double) W * H * 3;
            System.out.printf(Locale.ROOT, "generate: --upsampler %s against bicubic alone: mean difference %.2f levels%n", id, diff);
            assertTrue(diff > 0.05 && diff < 6, "mean difference " + diff + " levels");
            String saved = Files.readString(dir.resolve("up-learned.mlt"));
            String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(pt)));
            assertTrue(saved.contains(id) && saved.contains(sha), "the upsampler and its weights' hash are in the provenance");
        } finally {
            Path folder = store.resolve(id);
            if (Files.isDirectory(folder)) {
                try (var walk = Files.walk(folder)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}

package org.kinora.effect.pose.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.InputKind;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.InvalidParameterException;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.testing.RecordingJob;
import org.kinora.core.testing.RecordingSink;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Profile;
import org.kinora.effect.pose.internal.track.TrackFiles;
import org.kinora.samples.SampleFigure;

/**
 * The whole effect on a drawn figure whose rest pose and mask are given as files, so no model is needed: the frames it
 * writes, how a short or long track fits the clip, root motion, cancellation and progress, and the background.
 */
class PoseAnimateEffectTest {

    static final int W = 180;
    static final int H = 200;
    /** How far the driver's body moves right per frame (px). */
    static final float STEP = 2;

    @TempDir
    Path dir;

    final SampleFigure figure = new SampleFigure(W, H, 85);
    final byte[] still = Fakes.rgb(figure.still());
    final Fakes.NoInference inference = new Fakes.NoInference();
    final Fakes.FlatInpainting inpainting = new Fakes.FlatInpainting();
    final PoseAnimateEffect effect = new PoseAnimateEffect(inference, inpainting);
    final RecordingJob job = new RecordingJob();
    RecordingSink sink = new RecordingSink();

    @AfterEach
    void noModelWasAsked() {
        assertEquals(0, inference.calls.get(), "rest=PATH and mask=PATH: neither MoveNet nor selfie segmentation is called");
    }

    /**
     * A driver with the figure's own proportions: frame t is the rest pose moved {@code t * STEP} px right, its left
     * forearm turned {@code 10 * t} degrees about the elbow, so every frame differs and bone lengths stay.
     */
    Pose driver(int t) {
        Pose rest = figure.rest();
        float[] x = rest.xs();
        float[] y = rest.ys();
        int e = Joint.LEFT_ELBOW.ordinal();
        int w = Joint.LEFT_WRIST.ordinal();
        double a = Math.toRadians(-10 * t);
        double dx = x[w] - x[e];
        double dy = y[w] - y[e];
        x[w] = (float) (x[e] + dx * Math.cos(a) - dy * Math.sin(a));
        y[w] = (float) (y[e] + dx * Math.sin(a) + dy * Math.cos(a));
        for (int j = 0; j < Joint.COUNT; j++) {
            x[j] += t * STEP;
        }
        return new Pose(x, y, rest.scores());
    }

    Path track(int frames) throws Exception {
        List<Pose> poses = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            poses.add(driver(t));
        }
        Path f = dir.resolve("track-" + frames + ".json");
        TrackFiles.write(new PoseTrack("test driver", "kinora", 25, W, H, poses), f);
        return f;
    }

    Map<String, String> params(int trackFrames, String... more) throws Exception {
        Path rest = dir.resolve("rest.json");
        Files.writeString(rest, figure.restTrackJson());
        Path mask = dir.resolve("mask.png");
        ImageIO.write(figure.mask(), "png", mask.toFile());
        Map<String, String> p = new HashMap<>(Map.of("track", track(trackFrames).toString(), "rest", rest.toString(), "mask", mask.toString()));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    List<VideoFrame> render(Map<String, String> params, long frames) throws Exception {
        sink = new RecordingSink();
        ParameterValues values = ParameterValues.resolve(effect.info().parameters(), params);
        Fakes.Frames source = new Fakes.Frames(List.of(Fakes.frame(0, figure.still())));
        effect.render(new EffectContext(values, source, sink, frames, new Profile(W, H, FrameRate.FPS_25, 709), job));
        return sink.frames;
    }

    @Test
    void declaresAStillEffectWithItsParameters() {
        assertEquals("pose-animate", effect.info().id());
        assertEquals(InputKind.STILL, effect.info().input());
        assertEquals(List.of("track", "rest", "mask", "root", "when_short", "bvh_view", "duration"),
                effect.info().parameters().stream().map(p -> p.name()).toList());
        assertTrue(effect.info().description().contains("linear-blend skinning"), "the help names the deformation method");
    }

    @Test
    void writesOneFramePerClipFrameInOrderAndReportsProgressToTheTotal() throws Exception {
        List<VideoFrame> out = render(params(9), 9);
        assertEquals(9, out.size());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, out.get(i).index());
            assertEquals(W, out.get(i).width());
            assertEquals(H, out.get(i).height());
        }
        assertEquals(9, job.progress.size(), "progress after every frame");
        for (int i = 0; i < 9; i++) {
            assertArrayEquals(new long[] {i + 1, 9}, job.progress.get(i), "report " + i);
        }
        assertFalse(job.isCancelled());
        // the still's mask, grown a little, is what was filled behind the character
        assertEquals(1, inpainting.masks.size());
        byte[] hole = inpainting.masks.get(0);
        float[] alpha = Fakes.alpha(figure.mask());
        int holePixels = 0;
        for (int i = 0; i < hole.length; i++) {
            if (alpha[i] > 0.03f) {
                assertTrue(hole[i] != 0, "the hole covers the character at pixel " + i);
            }
            holePixels += hole[i] != 0 ? 1 : 0;
        }
        int figurePixels = 0;
        for (float a : alpha) {
            figurePixels += a > 0.03f ? 1 : 0;
        }
        assertTrue(holePixels > figurePixels && holePixels < 1.6 * figurePixels, "hole " + holePixels + " px vs figure " + figurePixels);
    }

    @Test
    void atRestTheFirstFrameIsTheStillWhereTheCharacterStands() throws Exception {
        // frame 0 of the driver is the rest pose: the character is drawn where it stood
        byte[] first = Fakes.bytes(render(params(1), 1).get(0));
        float[] alpha = Fakes.alpha(figure.mask());
        int checked = 0;
        for (int i = 0; i < alpha.length; i++) {
            if (alpha[i] > 0.99f) {
                for (int c = 0; c < 3; c++) {
                    assertTrue(Math.abs((first[3 * i + c] & 0xff) - (still[3 * i + c] & 0xff)) <= 1, "character pixel " + i);
                }
                checked++;
            }
        }
        assertTrue(checked > 1000, checked + " character pixels");
    }

    @Test
    void aShortTrackHoldsItsLastPose() throws Exception {
        List<VideoFrame> out = render(params(5), 9);
        assertEquals(9, out.size());
        byte[] last = Fakes.bytes(out.get(4));
        for (int i = 5; i < 9; i++) {
            assertArrayEquals(last, Fakes.bytes(out.get(i)), "frame " + i + " holds the track's last pose");
        }
        for (int i = 1; i < 5; i++) {
            assertFalse(java.util.Arrays.equals(Fakes.bytes(out.get(i - 1)), Fakes.bytes(out.get(i))), "frames " + (i - 1) + " and " + i + " differ");
        }
    }

    @Test
    void aShortTrackLoops() throws Exception {
        List<VideoFrame> out = render(params(5, "when_short", "loop"), 9);
        assertEquals(9, out.size());
        assertArrayEquals(Fakes.bytes(out.get(0)), Fakes.bytes(out.get(5)), "frame 5 starts the track again");
        assertArrayEquals(Fakes.bytes(out.get(2)), Fakes.bytes(out.get(7)));
        assertArrayEquals(Fakes.bytes(out.get(3)), Fakes.bytes(out.get(8)));
        assertFalse(java.util.Arrays.equals(Fakes.bytes(out.get(4)), Fakes.bytes(out.get(5))), "not held");
    }

    @Test
    void aLongTrackIsTrimmedToTheClip() throws Exception {
        Map<String, String> p = params(12);
        List<VideoFrame> whole = render(p, 12);
        List<VideoFrame> trimmed = render(p, 6);
        assertEquals(6, trimmed.size());
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(Fakes.bytes(whole.get(i)), Fakes.bytes(trimmed.get(i)), "frame " + i + " is the track's frame " + i);
        }
    }

    @Test
    void rootFollowMovesThePelvisAsTheDriverAndPinKeepsIt() throws Exception {
        List<VideoFrame> follow = render(params(9), 9);
        double[] c0 = torso(follow.get(0));
        double[] c8 = torso(follow.get(8));
        assertTrue(c0[2] > 500, "torso pixels: " + c0[2]);
        assertEquals(8 * STEP, c8[0] - c0[0], 1.0, "follow: the torso moves with the driver (same size: scale 1)");
        assertEquals(0, c8[1] - c0[1], 1.0);
        assertEquals(c0[2], c8[2], 0.05 * c0[2], "the torso is drawn whole");

        List<VideoFrame> pin = render(params(9, "root", "pin"), 9);
        double[] p0 = torso(pin.get(0));
        double[] p8 = torso(pin.get(8));
        assertEquals(0, p8[0] - p0[0], 0.5, "pin: the torso stays");
        assertEquals(0, p8[1] - p0[1], 0.5);
        assertFalse(java.util.Arrays.equals(Fakes.bytes(pin.get(0)), Fakes.bytes(pin.get(8))), "the forearm still moves");

        save("follow-8.png", follow.get(8));
        save("pin-8.png", pin.get(8));
        // where the character stood, the filled background shows once it has walked away; pinned it still covers it
        assertTrue(fills(follow.get(8)) > fills(pin.get(8)) + 300, "uncovered: follow " + fills(follow.get(8)) + " px, pin " + fills(pin.get(8)));
    }

    @Test
    void farFromTheCharacterEveryFrameIsTheStillAndTheFillOnlyShowsInTheHole() throws Exception {
        List<VideoFrame> out = render(params(9), 9);
        byte[] hole = inpainting.masks.get(0);
        for (VideoFrame f : out) {
            byte[] px = Fakes.bytes(f);
            for (int y = 0; y < H; y++) {
                int o = y * W * 3;
                // the left 30 columns: the character never comes near them
                assertTrue(java.util.Arrays.equals(still, o, o + 30 * 3, px, o, o + 30 * 3), "frame " + f.index() + ", row " + y);
            }
            for (int i = 0; i < hole.length; i++) {
                if (hole[i] == 0 && isFill(px, i)) {
                    throw new AssertionError("frame " + f.index() + ": filled colour outside the hole at pixel " + i);
                }
            }
        }
    }

    @Test
    void cancelledAfterTwoFramesStopsQuietly() throws Exception {
        job.cancelAfter = 2;
        List<VideoFrame> out = render(params(9), 9);
        assertTrue(job.isCancelled());
        assertEquals(2, out.size(), "render returns after the frame that saw the cancel");
        assertArrayEquals(new long[] {2, 9}, job.progress.get(job.progress.size() - 1));
    }

    @Test
    void theTrackIsReadAtTheProjectsRate() throws Exception {
        // the same motion written at 50 fps: at 25 fps every other pose is shown, so frame 2 is the 50 fps track's frame 4
        List<Pose> poses = new ArrayList<>();
        for (int t = 0; t < 9; t++) {
            poses.add(driver(t));
        }
        Path at50 = dir.resolve("at50.json");
        TrackFiles.write(new PoseTrack("50 fps", "kinora", 50, W, H, poses), at50);
        Map<String, String> p = params(9);
        List<VideoFrame> base = new ArrayList<>(render(p, 9));
        p.put("track", at50.toString());
        List<VideoFrame> resampled = render(p, 5);
        double[] c = torso(resampled.get(2));
        assertEquals(torso(base.get(4))[0], c[0], 0.5, "frame 2 at 25 fps shows the pose of 50 fps frame 4");
        assertEquals(torso(base.get(0))[0] + 4 * STEP, c[0], 1.0);
    }

    // --- a driving clip read by MoveNet

    /** A driving clip of {@code n} frames, each with its number in its first pixel; MoveNet there sees {@link #driver}. */
    Fakes.Frames drivingClip(int n) {
        List<VideoFrame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[W * H * 3];
            px[0] = (byte) i;
            frames.add(new VideoFrame(i, W, H, java.nio.ByteBuffer.wrap(px)));
        }
        return new Fakes.Frames(frames);
    }

    List<VideoFrame> renderDriven(PoseAnimateEffect fx, Map<String, String> params, org.kinora.core.effect.ClipFrames clips, long frames)
            throws Exception {
        sink = new RecordingSink();
        ParameterValues values = ParameterValues.resolve(fx.info().parameters(), params);
        Fakes.Frames source = new Fakes.Frames(List.of(Fakes.frame(0, figure.still())));
        fx.render(new EffectContext(values, source, sink, frames, new Profile(W, H, FrameRate.FPS_25, 709), job, clips));
        return sink.frames;
    }

    @Test
    void aDrivingClipIsReadByMoveNetThenRenderedWithProgressOverBoth() throws Exception {
        Fakes.ScriptedInference movenet = new Fakes.ScriptedInference();
        movenet.pose = (px, w, h) -> driver(px[0] & 0xff);
        PoseAnimateEffect fx = new PoseAnimateEffect(movenet, inpainting);
        Fakes.Frames clip = drivingClip(9);
        List<String> refs = new ArrayList<>();
        Map<String, String> p = params(1);
        p.put("track", "clip: V2:1");
        List<int[]> sizes = new ArrayList<>();
        List<VideoFrame> out = renderDriven(fx, p, (ref, width, height) -> {
            refs.add(ref);
            sizes.add(new int[] {width, height});
            return clip;
        }, 9);
        // MoveNet sees 256 px: the clip is asked for at most 512 px a side (this project is smaller: its own size)
        assertEquals(List.of(W, H), List.of(sizes.get(0)[0], sizes.get(0)[1]));

        assertEquals(List.of("V2:1"), refs);
        assertTrue(clip.closed, "the driving clip is closed");
        assertEquals(List.of(PoseModels.MOVENET, PoseModels.MOVENET), movenet.requests.stream().map(r -> r.modelId()).toList(),
                "9 clip frames in batches of 8; rest and mask come from the files");
        assertEquals(9, out.size());
        // one bar: the clip's 9 frames read, then the 9 rendered
        assertArrayEquals(new long[] {8, 18}, job.progress.get(0));
        assertArrayEquals(new long[] {9, 18}, job.progress.get(1));
        for (int i = 0; i < 9; i++) {
            assertArrayEquals(new long[] {10 + i, 18}, job.progress.get(2 + i));
        }
        assertEquals(11, job.progress.size());
        // the character walks with the driver (smoothing may lag a little behind its 16 px)
        double moved = torso(out.get(8))[0] - torso(out.get(0))[0];
        assertTrue(moved > 10 && moved < 17, "torso moved " + moved + " px");
    }

    @Test
    void aDrivingClipWhereMoveNetFindsNobodyIsAnErrorOfTheTrackParameter() throws Exception {
        Fakes.ScriptedInference nobody = new Fakes.ScriptedInference();
        PoseAnimateEffect fx = new PoseAnimateEffect(nobody, inpainting);
        Map<String, String> p = params(1);
        p.put("track", "clip:V2:1");
        EffectException e = assertThrows(EffectException.class, () -> renderDriven(fx, p, (ref, width, height) -> drivingClip(5), 5));
        assertTrue(e.getMessage().contains("'track'") && e.getMessage().contains("clip V2:1") && e.getMessage().contains("no person"),
                e.getMessage());
        assertTrue(sink.frames.isEmpty());
    }

    @Test
    void aHostWithoutOtherClipsNamesTheClip() throws Exception {
        Map<String, String> p = params(1);
        p.put("track", "clip:V2:1");
        EffectException e = assertThrows(EffectException.class, () -> render(p, 5));
        assertTrue(e.getMessage().contains("V2:1"), e.getMessage());
    }

    @Test
    void noFramesAskedIsRefused() throws Exception {
        EffectException e = assertThrows(EffectException.class, () -> render(params(3), 0));
        assertTrue(e.getMessage().contains("0 frames"), e.getMessage());
    }

    // --- check(): errors before any work

    EffectException checkFails(Map<String, String> raw) throws Exception {
        ParameterValues values = ParameterValues.resolve(effect.info().parameters(), raw);
        return assertThrows(EffectException.class, () -> effect.check(values));
    }

    @Test
    void aMissingTrackIsNamed() throws Exception {
        String m = checkFails(Map.of()).getMessage();
        assertTrue(m.contains("'track'") && m.contains("required"), m);
        assertTrue(checkFails(Map.of("track", "  ")).getMessage().contains("'track'"));
    }

    @Test
    void aClipTrackWithoutAReferenceIsRefused() throws Exception {
        for (String t : List.of("clip:", "clip:  ")) {
            String m = checkFails(Map.of("track", t)).getMessage();
            assertTrue(m.contains("'track'") && m.contains("names no clip") && m.contains(t.trim()), m);
        }
    }

    @Test
    void aTrackFileThatDoesNotExistIsNamed() throws Exception {
        Path none = dir.resolve("nowhere/walk.json");
        String m = checkFails(Map.of("track", none.toString())).getMessage();
        assertTrue(m.contains("'track'") && m.contains(none.toString()) && m.contains("no such file"), m);
    }

    @Test
    void restAndMaskFilesThatDoNotExistAreNamed() throws Exception {
        String track = track(3).toString();
        for (String name : List.of("rest", "mask")) {
            Path none = dir.resolve("missing-" + name + ".png");
            String m = checkFails(Map.of("track", track, name, none.toString())).getMessage();
            assertTrue(m.contains("'" + name + "'") && m.contains(none.toAbsolutePath().toString()), m);
        }
        // a folder is not a file
        String m = checkFails(Map.of("track", track, "mask", dir.toString())).getMessage();
        assertTrue(m.contains("'mask'") && m.contains(dir.toString()), m);
        // and all present: no complaint
        ParameterValues ok = ParameterValues.resolve(effect.info().parameters(), params(3));
        effect.check(ok);
    }

    @Test
    void unknownChoicesAreRefusedByTheDeclaration() {
        for (String[] bad : new String[][] {{"bvh_view", "top"}, {"root", "drag"}, {"when_short", "bounce"}}) {
            InvalidParameterException e = assertThrows(InvalidParameterException.class,
                    () -> ParameterValues.resolve(effect.info().parameters(), Map.of("track", "t.json", bad[0], bad[1])));
            assertEquals(bad[0], e.parameter());
        }
    }

    @Test
    void renderChecksToo() throws Exception {
        Map<String, String> p = params(3);
        p.put("mask", dir.resolve("gone.png").toString());
        EffectException e = assertThrows(EffectException.class, () -> render(p, 3));
        assertTrue(e.getMessage().contains("gone.png"), e.getMessage());
        assertTrue(sink.frames.isEmpty());
        assertTrue(inpainting.masks.isEmpty(), "nothing was done");
    }

    // --- measuring frames

    /** Centroid {x, y, count} of the torso's colour. */
    static double[] torso(VideoFrame f) {
        byte[] px = Fakes.bytes(f);
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int i = 0; i < W * H; i++) {
            if (Math.abs((px[3 * i] & 0xff) - SampleFigure.TORSO.getRed()) <= 10
                    && Math.abs((px[3 * i + 1] & 0xff) - SampleFigure.TORSO.getGreen()) <= 10
                    && Math.abs((px[3 * i + 2] & 0xff) - SampleFigure.TORSO.getBlue()) <= 10) {
                sx += i % W;
                sy += i / W;
                n++;
            }
        }
        return new double[] {sx / Math.max(1, n), sy / Math.max(1, n), n};
    }

    /** Frames looked at by eye: target/pose-animate-effect/. */
    static void save(String name, VideoFrame f) throws java.io.IOException {
        byte[] px = Fakes.bytes(f);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(W, H, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < W * H; i++) {
            img.setRGB(i % W, i / W, (px[3 * i] & 0xff) << 16 | (px[3 * i + 1] & 0xff) << 8 | (px[3 * i + 2] & 0xff));
        }
        Path out = Path.of("target/pose-animate-effect");
        Files.createDirectories(out);
        ImageIO.write(img, "png", out.resolve(name).toFile());
    }

    static boolean isFill(byte[] px, int i) {
        return (px[3 * i] & 0xff) == Fakes.FlatInpainting.FILL.getRed() && (px[3 * i + 1] & 0xff) == Fakes.FlatInpainting.FILL.getGreen()
                && (px[3 * i + 2] & 0xff) == Fakes.FlatInpainting.FILL.getBlue();
    }

    static int fills(VideoFrame f) {
        byte[] px = Fakes.bytes(f);
        int n = 0;
        for (int i = 0; i < W * H; i++) {
            n += isFill(px, i) ? 1 : 0;
        }
        return n;
    }
}

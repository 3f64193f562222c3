package org.kinora.effect.pose.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.effect.EffectException;
import org.kinora.core.inference.Tensor;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.testing.RecordingJob;
import org.kinora.effect.pose.internal.track.TrackFiles;
import org.kinora.samples.SampleFigure;

/** Finding the character of a still: its mask cleaned to the figure, the hole behind it, the box around it. */
class CharacterCutoutTest {

    static final int W = 180;
    static final int H = 200;

    @TempDir
    Path dir;

    final SampleFigure figure = new SampleFigure(W, H, 85);
    final float[] figureMask = Fakes.alpha(figure.mask());

    // --- keepConnected

    @Test
    void keepsTheFigureWithItsSoftEdgeAndDropsWhatIsNotConnectedToIt() {
        float[] a = figureMask.clone();
        // another person's arm in the crop: a solid blob far from the figure
        fill(a, 5, 5, 20, 30, 1f);
        // faint specks far away, below the connection threshold
        a[150 * W + 8] = 0.05f;
        a[20 * W + 170] = 0.09f;
        // a faint rim right next to the figure's edge (within FRINGE) belongs to it
        int[] edge = outsideEdge(figureMask, 2);
        a[edge[1] * W + edge[0]] = 0.08f;
        // and a faint pixel just beyond the fringe does not
        int[] beyond = outsideEdge(figureMask, CharacterCutout.FRINGE + 2);
        a[beyond[1] * W + beyond[0]] = 0.08f;

        CharacterCutout.keepConnected(a, W, H, figure.rest());

        for (int y = 5; y < 30; y++) {
            for (int x = 5; x < 20; x++) {
                assertEquals(0f, a[y * W + x], "blob at " + x + "," + y);
            }
        }
        assertEquals(0f, a[150 * W + 8], "speck");
        assertEquals(0f, a[20 * W + 170], "speck");
        assertEquals(0.08f, a[edge[1] * W + edge[0]], "the soft edge 2 px out stays");
        assertEquals(0f, a[beyond[1] * W + beyond[0]], "a speck " + (CharacterCutout.FRINGE + 2) + " px out goes");
        int kept = 0;
        for (int i = 0; i < a.length; i++) {
            if (figureMask[i] > 0) {
                assertEquals(figureMask[i], a[i], "figure pixel " + i % W + "," + i / W);
                kept++;
            }
        }
        assertTrue(kept > 3000, kept + " figure pixels");
    }

    @Test
    void aRegionTouchingTheFigureIsPartOfIt() {
        float[] a = figureMask.clone();
        // a bag held at the right wrist: a block joined to the hand by a one-pixel-wide strap of mask 0.5
        Pose rest = figure.rest();
        int wx = Math.round(rest.x(Joint.RIGHT_WRIST));
        int wy = Math.round(rest.y(Joint.RIGHT_WRIST));
        for (int x = 15; x <= wx; x++) {
            a[wy * W + x] = 0.5f;
        }
        fill(a, 5, wy - 5, 15, wy + 6, 0.9f);
        float[] before = a.clone();
        CharacterCutout.keepConnected(a, W, H, rest);
        assertArrayEquals(before, a, "connected (8-neighbours, above 0.1): kept as it is");
    }

    @Test
    void aMaskWithNothingUnderTheSkeletonIsLeftAsItIs() {
        float[] a = new float[W * H];
        fill(a, 0, 0, 20, 20, 1f);
        float[] before = a.clone();
        CharacterCutout.keepConnected(a, W, H, figure.rest());
        assertArrayEquals(before, a);
    }

    // --- hole

    @Test
    void aPixelGrowsIntoASquareOfSideTwiceGrowPlusOne() {
        for (int grow : new int[] {0, 1, 3, 6}) {
            float[] a = new float[30 * 30];
            a[12 * 30 + 10] = 1f;
            byte[] hole = CharacterCutout.hole(a, 30, 30, grow);
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 30; x++) {
                    boolean in = Math.abs(x - 10) <= grow && Math.abs(y - 12) <= grow;
                    assertEquals(in ? (byte) 255 : 0, hole[y * 30 + x], "grow " + grow + " at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void theHoleIsClippedAtTheBorderAndIgnoresTracesOfMask() {
        float[] a = new float[20 * 10];
        a[0] = 1f; // top-left corner
        a[5 * 20 + 15] = 0.03f; // a trace: not the character
        byte[] hole = CharacterCutout.hole(a, 20, 10, 2);
        int n = 0;
        for (int i = 0; i < hole.length; i++) {
            if (hole[i] != 0) {
                assertTrue(i % 20 <= 2 && i / 20 <= 2, "hole at " + i % 20 + "," + i / 20);
                n++;
            }
        }
        assertEquals(9, n, "a 3x3 corner of the 5x5 square");
        a[5 * 20 + 15] = 0.031f;
        assertEquals((byte) 255, CharacterCutout.hole(a, 20, 10, 2)[5 * 20 + 15], "just above 0.03 counts");
    }

    // --- personBox

    @Test
    void theBoxHoldsEverySeenJointWithAQuarterMargin() {
        Pose rest = moved(figure.rest(), 100, 100);
        int[] box = CharacterCutout.personBox(rest, 1000, 1000);
        double x0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (Joint j : Joint.values()) {
            assertTrue(box[0] <= rest.x(j) && rest.x(j) < box[2] && box[1] <= rest.y(j) && rest.y(j) < box[3], j + " in the box");
            x0 = Math.min(x0, rest.x(j));
            x1 = Math.max(x1, rest.x(j));
            y0 = Math.min(y0, rest.y(j));
            y1 = Math.max(y1, rest.y(j));
        }
        double m = 0.25 * Math.max(x1 - x0, y1 - y0);
        assertArrayEquals(new int[] {(int) Math.floor(x0 - m), (int) Math.floor(y0 - m), (int) Math.ceil(x1 + m), (int) Math.ceil(y1 + m)}, box);
    }

    @Test
    void theBoxIgnoresUnseenJointsAndIsClippedToTheFrame() {
        Pose low = moved(figure.rest(), 0, 40);
        float[] x = low.xs();
        float[] y = low.ys();
        float[] s = low.scores();
        // an unseen joint far outside does not count
        x[Joint.NOSE.ordinal()] = -500;
        y[Joint.NOSE.ordinal()] = -500;
        s[Joint.NOSE.ordinal()] = 0;
        // a weak one (below the retargeter's threshold) neither
        x[Joint.LEFT_EAR.ordinal()] = 900;
        s[Joint.LEFT_EAR.ordinal()] = 0.1f;
        Pose p = new Pose(x, y, s);
        int[] box = CharacterCutout.personBox(p, W, H);
        assertTrue(box[0] > 0 && box[1] > 0, "top-left from the seen joints: " + box[0] + "," + box[1]);
        assertEquals(H, box[3], "the feet's margin is cut at the bottom of the frame");
        assertTrue(box[2] < W, "right edge " + box[2]);
        // a figure standing half out of the frame on the left
        for (int j = 0; j < Joint.COUNT; j++) {
            x[j] -= 80;
        }
        int[] cut = CharacterCutout.personBox(new Pose(x, y, s), W, H);
        assertEquals(0, cut[0]);
        assertTrue(cut[2] > 0 && cut[2] <= W);
        // one joint: still a box of at least a pixel
        float[] one = new float[Joint.COUNT];
        one[Joint.LEFT_HIP.ordinal()] = 1;
        float[] ox = new float[Joint.COUNT];
        float[] oy = new float[Joint.COUNT];
        ox[Joint.LEFT_HIP.ordinal()] = 30.2f;
        oy[Joint.LEFT_HIP.ordinal()] = 40.7f;
        int[] dot = CharacterCutout.personBox(new Pose(ox, oy, one), W, H);
        assertTrue(dot[2] > dot[0] && dot[3] > dot[1] && dot[0] <= 30 && dot[2] >= 31 && dot[1] <= 40 && dot[3] >= 41, java.util.Arrays.toString(dot));
    }

    // --- find: rest pose and mask from the models or from files

    @Test
    void withoutFilesMoveNetFindsTheRestPoseAndSelfieSegmentationCutsTheCropAroundIt() throws Exception {
        VideoFrame still = Fakes.frame(0, figure.still());
        Fakes.ScriptedInference inference = new Fakes.ScriptedInference();
        inference.pose = (px, w, h) -> figure.rest();
        int[] box = CharacterCutout.personBox(figure.rest(), W, H);
        // the crop's mask: the figure, plus a stray blob in the crop's corner that is not connected to it
        inference.mask = (px, w, h) -> {
            float[] m = new float[w * h];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    m[y * w + x] = figureMask[(box[1] + y) * W + box[0] + x];
                }
            }
            fill(m, w, 2, 2, 8, 8, 1f);
            return m;
        };
        Fakes.FlatInpainting inpainting = new Fakes.FlatInpainting();
        CharacterCutout c = CharacterCutout.find(still, new int[] {W, H}, null, null, new PoseModels(inference), inpainting, new RecordingJob());

        assertEquals(List.of(PoseModels.MOVENET, PoseModels.SELFIE), inference.requests.stream().map(r -> r.modelId()).toList());
        Tensor crop = inference.requests.get(1).inputs().get(0);
        assertArrayEquals(new long[] {1, box[3] - box[1], box[2] - box[0], 3}, crop.shape(), "selfie segmentation sees the person's box");
        byte[] stillPx = Fakes.bytes(still);
        int cw = box[2] - box[0];
        for (int y : new int[] {0, 50, box[3] - box[1] - 1}) {
            for (int x : new int[] {0, 40, cw - 1}) {
                int o = ((box[1] + y) * W + box[0] + x) * 3;
                assertEquals(stillPx[o], crop.data().get((y * cw + x) * 3), "crop pixel " + x + "," + y);
            }
        }
        for (Joint j : Joint.values()) {
            assertEquals(figure.rest().x(j), c.rest().x(j), 1e-3, j.key());
            assertEquals(figure.rest().y(j), c.rest().y(j), 1e-3, j.key());
        }
        for (int i = 0; i < W * H; i++) {
            int x = i % W;
            int y = i / W;
            boolean inBox = x >= box[0] && x < box[2] && y >= box[1] && y < box[3];
            float expected = inBox ? figureMask[i] : 0;
            assertEquals(expected, c.alpha()[i], "mask at " + x + "," + y + " (the stray blob is gone)");
        }
        assertEquals(W, c.width());
        assertArrayEquals(stillPx, c.still());
        // the background is the inpainted still: filled where the character was, the still elsewhere
        byte[] hole = inpainting.masks.get(0);
        int knee = Math.round(figure.rest().y(Joint.RIGHT_KNEE)) * W + Math.round(figure.rest().x(Joint.RIGHT_KNEE));
        assertEquals(255, hole[knee] & 0xff, "a knee is in the hole");
        assertArrayEquals(new byte[] {(byte) 255, 0, (byte) 255}, java.util.Arrays.copyOfRange(c.background(), 3 * knee, 3 * knee + 3));
        assertEquals(stillPx[3 * (10 * W + 5)], c.background()[3 * (10 * W + 5)]);
    }

    @Test
    void aRestPoseFileIsScaledFromThePictureItWasMadeOn() throws Exception {
        // the rest pose was marked on a picture twice the still's size: pixel centre x there is 2x + 0.5
        float[] bx = figure.rest().xs();
        float[] by = figure.rest().ys();
        for (int j = 0; j < Joint.COUNT; j++) {
            bx[j] = 2 * bx[j] + 0.5f;
            by[j] = 2 * by[j] + 0.5f;
        }
        Path rest = dir.resolve("rest.json");
        TrackFiles.write(new PoseTrack("marked on the original", "kinora", 25, 2 * W, 2 * H, List.of(new Pose(bx, by, figure.rest().scores()))), rest);
        Path mask = dir.resolve("mask.png");
        ImageIO.write(figure.mask(), "png", mask.toFile());
        Fakes.NoInference inference = new Fakes.NoInference();
        CharacterCutout c = CharacterCutout.find(Fakes.frame(0, figure.still()), new int[] {W, H}, rest, mask, new PoseModels(inference),
                new Fakes.FlatInpainting(), new RecordingJob());
        assertEquals(0, inference.calls.get());
        for (Joint j : Joint.values()) {
            assertEquals(figure.rest().x(j), c.rest().x(j), 0.01, j.key());
            assertEquals(figure.rest().y(j), c.rest().y(j), 0.01, j.key());
        }
        assertArrayEquals(figureMask, c.alpha(), 1e-5f, "a given mask is used as it is (no connected-region cleaning)");
    }

    @Test
    void aRestPoseMissingLimbsIsRefusedNamingTheFileAndJoints() throws Exception {
        String json = figure.restTrackJson();
        // the left wrist barely seen in the rest pose: a track may hold it, a rest pose may not
        String wrist = String.format(java.util.Locale.ROOT, "[%.2f, %.2f, 1]", figure.joints[Joint.LEFT_WRIST.ordinal()][0],
                figure.joints[Joint.LEFT_WRIST.ordinal()][1]);
        assertTrue(json.contains(wrist));
        Path rest = dir.resolve("armless.json");
        Files.writeString(rest, json.replace(wrist, "[0, 0, 0.1]"));
        EffectException e = assertThrows(EffectException.class, () -> CharacterCutout.find(Fakes.frame(0, figure.still()), new int[] {W, H},
                rest, null, new PoseModels(new Fakes.NoInference()), new Fakes.FlatInpainting(), new RecordingJob()));
        assertTrue(e.getMessage().contains("rest pose " + rest) && e.getMessage().contains("left_wrist not seen"), e.getMessage());
    }

    @Test
    void aPartialPersonFromMoveNetIsRefusedSayingHowToGiveTheRestPose() {
        Fakes.ScriptedInference inference = new Fakes.ScriptedInference();
        inference.pose = (px, w, h) -> {
            float[] s = figure.rest().scores();
            s[Joint.LEFT_ANKLE.ordinal()] = 0.1f;
            s[Joint.RIGHT_ANKLE.ordinal()] = 0.05f;
            return new Pose(figure.rest().xs(), figure.rest().ys(), s);
        };
        EffectException e = assertThrows(EffectException.class, () -> CharacterCutout.find(Fakes.frame(0, figure.still()), new int[] {W, H},
                null, null, new PoseModels(inference), new Fakes.FlatInpainting(), new RecordingJob()));
        String m = e.getMessage();
        assertTrue(m.contains("MoveNet did not find a whole figure") && m.contains("left_ankle, right_ankle") && m.contains("rest=PATH"), m);
    }

    @Test
    void aMissingModelIsNamedWithHowToFetchIt() {
        Fakes.ScriptedInference inference = new Fakes.ScriptedInference();
        inference.pose = (px, w, h) -> figure.rest();
        inference.missing = PoseModels.MOVENET;
        EffectException e = assertThrows(EffectException.class, () -> CharacterCutout.find(Fakes.frame(0, figure.still()), new int[] {W, H},
                null, null, new PoseModels(inference), new Fakes.FlatInpainting(), new RecordingJob()));
        assertTrue(e.getMessage().contains("kinora models fetch movenet-thunder") && e.getMessage().contains("rest=PATH"), e.getMessage());

        inference.missing = PoseModels.SELFIE;
        EffectException s = assertThrows(EffectException.class, () -> CharacterCutout.find(Fakes.frame(0, figure.still()), new int[] {W, H},
                null, null, new PoseModels(inference), new Fakes.FlatInpainting(), new RecordingJob()));
        assertTrue(s.getMessage().contains("kinora models fetch selfie-segmentation") && s.getMessage().contains("mask=PATH"), s.getMessage());
    }

    @Test
    void aCancelledJobGivesNoCutout() throws Exception {
        Fakes.ScriptedInference inference = new Fakes.ScriptedInference();
        inference.pose = (px, w, h) -> figure.rest();
        RecordingJob job = new RecordingJob();
        job.cancelled.set(true);
        assertEquals(null, CharacterCutout.find(Fakes.frame(0, figure.still()), new int[] {W, H}, null, null, new PoseModels(inference),
                new Fakes.FlatInpainting(), job));
    }

    // --- helpers

    static Pose moved(Pose p, float dx, float dy) {
        float[] x = p.xs();
        float[] y = p.ys();
        for (int j = 0; j < Joint.COUNT; j++) {
            x[j] += dx;
            y[j] += dy;
        }
        return new Pose(x, y, p.scores());
    }

    static void fill(float[] a, int x0, int y0, int x1, int y1, float v) {
        fill(a, W, x0, y0, x1, y1, v);
    }

    static void fill(float[] a, int w, int x0, int y0, int x1, int y1, float v) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                a[y * w + x] = v;
            }
        }
    }

    /** A pixel {@code d} px left of the torso's edge, 10 px above the hips, with no figure between (the forearm is further out). */
    int[] outsideEdge(float[] mask, int d) {
        int y = Math.round(figure.rest().y(Joint.RIGHT_HIP)) - 10;
        int x = 85;
        while (mask[y * W + x] > 0) {
            x--;
        }
        // x is the first pixel left of the torso with no mask
        int px = x + 1 - d;
        for (int i = px; i <= x; i++) {
            assertEquals(0f, mask[y * W + i], "no figure at " + i + "," + y);
        }
        return new int[] {px, y};
    }
}

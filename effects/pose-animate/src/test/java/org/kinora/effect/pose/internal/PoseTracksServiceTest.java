package org.kinora.effect.pose.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.TrackOptions;
import org.kinora.core.testing.RecordingJob;
import org.kinora.samples.SampleFigure;

/** The pose track service other bundles (the command line) use: files, extraction and retargeting. */
class PoseTracksServiceTest {

    @TempDir
    Path dir;

    final SampleFigure figure = new SampleFigure(180, 200, 85);
    final Fakes.ScriptedInference inference = new Fakes.ScriptedInference();
    final PoseTracksService service = new PoseTracksService(inference);

    /** The figure walking right 2 px a frame, its left hip unseen in frames 3 and 4. */
    PoseTrack walking(int n) {
        List<Pose> poses = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Pose p = CharacterCutoutTest.moved(figure.rest(), 2 * t, 0);
            if (t == 3 || t == 4) {
                float[] s = p.scores();
                s[Joint.LEFT_HIP.ordinal()] = 0;
                p = new Pose(p.xs(), p.ys(), s);
            }
            poses.add(p);
        }
        return new PoseTrack("walk", "kinora", 25, 180, 200, poses);
    }

    @Test
    void writesAndReadsKinoraTracks() throws Exception {
        Path f = dir.resolve("walk.json");
        service.write(walking(6), f);
        PoseTrack back = service.read(f, TrackOptions.defaults());
        assertEquals(6, back.size());
        assertEquals(25, back.fps());
        assertEquals(figure.rest().x(Joint.LEFT_KNEE) + 10, back.frames().get(5).x(Joint.LEFT_KNEE), 0.01);
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> service.read(dir.resolve("none.json"), TrackOptions.defaults()));
        assertTrue(e.getMessage().contains("none.json"), e.getMessage());
    }

    @Test
    void extractsWithTheClipsLengthAsTheProgressTotal() throws Exception {
        inference.pose = (px, w, h) -> PoseExtractorTest.standing();
        RecordingJob job = new RecordingJob();
        PoseTrack t = service.extract(new PoseExtractorTest.Clip(12), "walk.mp4", 30, job);
        assertEquals(12, t.size());
        assertEquals(30, t.fps());
        assertEquals(2, job.progress.size());
        assertArrayEquals(new long[] {12, 12}, job.progress.get(1));
    }

    @Test
    void retargetsOntoTheCharacterFillingShortGaps() throws Exception {
        // the character: the figure at 60% of the driver's size, standing elsewhere
        Pose character = scaled(figure.rest(), 0.6f, 20, 30);
        PoseTrack follow = service.retarget(walking(8), character, false);
        assertEquals("walk retargeted", follow.source());
        assertEquals(25, follow.fps());
        assertEquals(8, follow.size());
        assertEquals(0, follow.width(), "positions are in the character's picture, whose size the rest pose does not carry");
        for (Pose p : follow.frames()) {
            assertTrue(p.seen(Joint.LEFT_HIP, 0.5f), "the driver's 2-frame gap is filled");
        }
        double[] p0 = pelvis(follow.frames().get(0));
        double[] p7 = pelvis(follow.frames().get(7));
        assertEquals(pelvis(character)[0], p0[0], 0.01, "frame 0: where the character stands");
        assertEquals(0.6 * 14, p7[0] - p0[0], 0.05, "root motion scaled to the character's size");
        assertEquals(0, p7[1] - p0[1], 0.05);
        // each bone keeps the character's length
        assertEquals(dist(character, Joint.LEFT_KNEE, Joint.LEFT_ANKLE), dist(follow.frames().get(5), Joint.LEFT_KNEE, Joint.LEFT_ANKLE), 0.01);

        PoseTrack pinned = service.retarget(walking(8), character, true);
        assertArrayEquals(pelvis(character), pelvis(pinned.frames().get(7)), 0.01, "pinned: the pelvis stays");
    }

    @Test
    void aCharacterMissingLimbsIsRefusedNamingThem() {
        float[] s = figure.rest().scores();
        s[Joint.RIGHT_KNEE.ordinal()] = 0;
        s[Joint.RIGHT_ANKLE.ordinal()] = 0.1f;
        Pose lame = new Pose(figure.rest().xs(), figure.rest().ys(), s);
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> service.retarget(walking(3), lame, false));
        assertTrue(e.getMessage().contains("right_knee, right_ankle"), e.getMessage());
    }

    static Pose scaled(Pose p, float k, float dx, float dy) {
        float[] x = p.xs();
        float[] y = p.ys();
        for (int j = 0; j < Joint.COUNT; j++) {
            x[j] = x[j] * k + dx;
            y[j] = y[j] * k + dy;
        }
        return new Pose(x, y, p.scores());
    }

    static double[] pelvis(Pose p) {
        return new double[] {(p.x(Joint.LEFT_HIP) + p.x(Joint.RIGHT_HIP)) / 2, (p.y(Joint.LEFT_HIP) + p.y(Joint.RIGHT_HIP)) / 2};
    }

    static double dist(Pose p, Joint a, Joint b) {
        return Math.hypot(p.x(a) - p.x(b), p.y(a) - p.y(b));
    }
}

package org.kinora.effect.pose.internal.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;

class TrackCleanupTest {

    /** A track where every joint is at (x(f), y(f)) with score s(f); all joints alike. */
    private static PoseTrack track(double fps, int frames, java.util.function.IntToDoubleFunction x,
            java.util.function.IntToDoubleFunction y, java.util.function.IntToDoubleFunction s) {
        List<Pose> poses = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            float[] xs = new float[Joint.COUNT];
            float[] ys = new float[Joint.COUNT];
            float[] ss = new float[Joint.COUNT];
            for (int j = 0; j < Joint.COUNT; j++) {
                xs[j] = (float) x.applyAsDouble(f) + j;
                ys[j] = (float) y.applyAsDouble(f);
                ss[j] = (float) s.applyAsDouble(f);
            }
            poses.add(new Pose(xs, ys, ss));
        }
        return new PoseTrack("test", "movenet", fps, 640, 480, poses);
    }

    @Test
    void fillGapsInterpolatesShortRunsOnly() {
        // seen at 0..2, a gap of 2 (frames 3, 4: one weak, one unseen), seen at 5..6, a gap of 4 (7..10), seen at 11
        double[] score = {0.9, 0.9, 0.8, 0.1, 0, 0.6, 0.7, 0, 0, 0, 0, 0.9};
        PoseTrack t = track(25, score.length, f -> 10 * f, f -> 100 - f, f -> score[f]);
        PoseTrack filled = TrackCleanup.fillGaps(t, 0.3f, 3);
        Pose p3 = filled.frames().get(3);
        Pose p4 = filled.frames().get(4);
        assertEquals(20 + (50 - 20) / 3.0, p3.x(Joint.NOSE), 1e-4);
        assertEquals(20 + 2 * (50 - 20) / 3.0, p4.x(Joint.NOSE), 1e-4);
        assertEquals(20 + 2 * (50 - 20) / 3.0 + Joint.RIGHT_ANKLE.ordinal(), p4.x(Joint.RIGHT_ANKLE), 1e-4);
        assertEquals(100 - 4, p4.y(Joint.NOSE), 1e-4);
        assertEquals(0.6f * 0.9f, p3.score(Joint.NOSE), 1e-6);
        for (int f = 7; f <= 10; f++) {
            assertEquals(0, filled.frames().get(f).score(Joint.NOSE), "a gap longer than maxGap stays unseen");
        }
        assertEquals(t.frames().get(0), filled.frames().get(0));
        assertEquals(t.frames().get(11), filled.frames().get(11));
    }

    @Test
    void smoothRemovesJitterOfAStillJointAndFollowsAFastMove() {
        Random r = new Random(7);
        double[] noise = new double[100];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = r.nextGaussian() * 3;
        }
        PoseTrack still = track(30, 100, f -> 200 + noise[f], f -> 100, f -> 0.9);
        PoseTrack smooth = TrackCleanup.smooth(still, 1.0, 0.01);
        double before = 0;
        double after = 0;
        for (int f = 20; f < 100; f++) {
            before += Math.abs(still.frames().get(f).x(Joint.NOSE) - still.frames().get(f - 1).x(Joint.NOSE));
            after += Math.abs(smooth.frames().get(f).x(Joint.NOSE) - smooth.frames().get(f - 1).x(Joint.NOSE));
        }
        assertTrue(after < before / 3, "frame-to-frame jitter " + before / 80 + " -> " + after / 80 + " px");
        // a fast move (300 px/s) is followed with little lag once the speed is seen
        PoseTrack fast = track(30, 60, f -> 10 * f, f -> 0, f -> 0.9);
        Pose end = TrackCleanup.smooth(fast, 1.0, 0.05).frames().get(59);
        assertEquals(590, end.x(Joint.NOSE), 15);
    }

    @Test
    void smoothRestartsAfterAnUnseenFrame() {
        // the joint jumps from x = 0 to x = 500 across an unseen frame: the first frame after it is kept as it is
        PoseTrack t = track(25, 10, f -> f < 5 ? 0 : 500, f -> 0, f -> f == 4 ? 0 : 0.9);
        Pose after = TrackCleanup.smooth(t, 0.5, 0).frames().get(5);
        assertEquals(500, after.x(Joint.NOSE), 1e-4);
        assertEquals(0, TrackCleanup.smooth(t, 0.5, 0).frames().get(4).score(Joint.NOSE));
    }

    @Test
    void resampleChangesTheRateOverTheSameDuration() {
        PoseTrack t = track(30, 91, f -> 3 * f, f -> f, f -> 0.5 + f / 200.0); // 3 s
        PoseTrack r = TrackCleanup.resample(t, 25);
        assertEquals(76, r.size(), "floor(3 s x 25) + 1");
        assertEquals(25, r.fps());
        for (int i = 0; i < r.size(); i++) {
            double at = i * 30 / 25.0;
            assertEquals(3 * at, r.frames().get(i).x(Joint.NOSE), 1e-3, "frame " + i);
            assertEquals(at, r.frames().get(i).y(Joint.LEFT_HIP), 1e-3, "frame " + i);
            assertEquals(0.5 + at / 200, r.frames().get(i).score(Joint.NOSE), 1e-5, "frame " + i);
        }
        PoseTrack up = TrackCleanup.resample(t, 60);
        assertEquals(181, up.size());
        assertEquals(1.5, up.frames().get(1).x(Joint.NOSE), 1e-4);
    }

    @Test
    void resampleTakesAnUnseenNeighbourAsItIs() {
        PoseTrack t = track(10, 3, f -> 100 * f, f -> 0, f -> f == 1 ? 0 : 1);
        PoseTrack r = TrackCleanup.resample(t, 40);
        assertEquals(9, r.size());
        assertEquals(0, r.frames().get(1).x(Joint.NOSE), 1e-4, "t = 0.25 between seen and unseen: the nearer (seen) one");
        assertEquals(1, r.frames().get(1).score(Joint.NOSE));
        assertEquals(0, r.frames().get(3).score(Joint.NOSE), "t = 0.75: the nearer is unseen");
    }

    @Test
    void aTrackWithoutRateIsNotResampled() {
        PoseTrack t = new PoseTrack("x", "coco17", 0, 0, 0, List.of(Pose.empty(), Pose.empty()));
        assertSame(t, TrackCleanup.resample(t, 25));
    }
}

package org.kinora.effect.pose.internal.track;

import java.util.ArrayList;
import java.util.List;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;

/**
 * Repairs applied to a track after it is read or extracted: short gaps filled, jitter smoothed, the frame rate changed.
 * Each returns a new track; joints are treated independently.
 */
public final class TrackCleanup {

    /** How much a filled joint's confidence is lowered below its ends', to mark it as guessed. */
    static final float FILLED_SCORE = 0.9f;
    /** The rate assumed by {@link #smooth} for a track that does not know its own. */
    public static final double ASSUMED_FPS = 25;

    private TrackCleanup() {
    }

    /**
     * Fills short gaps: per joint, a run of at most {@code maxGap} frames where its score is below {@code minScore},
     * between two frames where it is at least {@code minScore}, gets positions interpolated linearly between those two
     * and the lower of their scores times 0.9. Longer runs, and runs at the start or end, are left as they are.
     *
     * @param minScore the score from which a joint counts as seen, above 0
     * @param maxGap   the longest run filled, in frames (0: nothing is filled)
     */
    public static PoseTrack fillGaps(PoseTrack track, float minScore, int maxGap) {
        if (!(minScore > 0 && minScore <= 1) || maxGap < 0) {
            throw new IllegalArgumentException("fillGaps: minScore " + minScore + " must be in (0, 1], maxGap " + maxGap + " >= 0");
        }
        int n = track.size();
        float[][] x = new float[n][];
        float[][] y = new float[n][];
        float[][] s = new float[n][];
        unpack(track, x, y, s);
        for (int j = 0; j < Joint.COUNT; j++) {
            int last = -1;
            for (int f = 0; f < n; f++) {
                if (!(s[f][j] >= minScore)) {
                    continue;
                }
                int gap = f - last - 1;
                if (last >= 0 && gap > 0 && gap <= maxGap) {
                    float score = Math.min(s[last][j], s[f][j]) * FILLED_SCORE;
                    for (int g = last + 1; g < f; g++) {
                        float t = (float) (g - last) / (f - last);
                        x[g][j] = x[last][j] + t * (x[f][j] - x[last][j]);
                        y[g][j] = y[last][j] + t * (y[f][j] - y[last][j]);
                        s[g][j] = score;
                    }
                }
                last = f;
            }
        }
        return pack(track, track.fps(), x, y, s);
    }

    /**
     * Smooths each joint's x and y over time with the 1 Euro filter (Casiez et al., CHI 2012), forward in time. The
     * filter restarts after every frame where the joint was not seen (score 0), so a joint that reappears elsewhere is
     * not dragged from where it was. Needs the track's rate; a track with fps 0 is filtered as if at
     * {@value #ASSUMED_FPS} fps.
     *
     * @param minCutoffHz the cutoff when a joint stands still (lower: smoother, more lag); e.g. 1.0
     * @param beta        the cutoff's rise per px/s of speed (higher: less lag in fast moves); e.g. 0.05
     */
    public static PoseTrack smooth(PoseTrack track, double minCutoffHz, double beta) {
        if (!(minCutoffHz > 0) || !(beta >= 0) || Double.isInfinite(minCutoffHz) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("smooth: minCutoffHz " + minCutoffHz + " must be above 0 and beta " + beta + " >= 0");
        }
        double rate = track.fps() > 0 ? track.fps() : ASSUMED_FPS;
        int n = track.size();
        float[][] x = new float[n][];
        float[][] y = new float[n][];
        float[][] s = new float[n][];
        unpack(track, x, y, s);
        for (int j = 0; j < Joint.COUNT; j++) {
            OneEuroFilter fx = new OneEuroFilter(rate, minCutoffHz, beta);
            OneEuroFilter fy = new OneEuroFilter(rate, minCutoffHz, beta);
            for (int f = 0; f < n; f++) {
                if (s[f][j] > 0) {
                    x[f][j] = (float) fx.filter(x[f][j]);
                    y[f][j] = (float) fy.filter(y[f][j]);
                } else {
                    fx.reset();
                    fy.reset();
                }
            }
        }
        return pack(track, track.fps(), x, y, s);
    }

    /**
     * The track at another frame rate, over the same duration: {@code floor((frames - 1) / track.fps * fps) + 1}
     * frames (a last frame within 1/1000 of a frame of the end counts, so a source rate written with few digits, such as
     * BVH's {@code Frame Time: 0.0333333}, does not lose it), frame i at time i / fps. A joint seen in both neighbouring source frames is interpolated linearly (its
     * position and score); otherwise it is taken from the nearer one. A track whose rate is unknown (fps 0) is returned
     * as it is.
     *
     * @param fps the new rate, above 0
     */
    public static PoseTrack resample(PoseTrack track, double fps) {
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("resample: fps " + fps + " must be above 0");
        }
        if (track.fps() == 0 || track.fps() == fps) {
            return track;
        }
        int n = track.size();
        double duration = (n - 1) / track.fps();
        long count = (long) Math.floor(duration * fps + 1e-3) + 1;
        if (count > 10_000_000L) {
            throw new IllegalArgumentException(track.source() + ": resampling to " + fps + " fps gives " + count + " frames");
        }
        List<Pose> frames = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            double at = Math.min(n - 1, i / fps * track.fps());
            int a = (int) Math.floor(at);
            int b = Math.min(n - 1, a + 1);
            float t = (float) (at - a);
            Pose pa = track.frames().get(a);
            Pose pb = track.frames().get(b);
            float[] x = new float[Joint.COUNT];
            float[] y = new float[Joint.COUNT];
            float[] s = new float[Joint.COUNT];
            for (Joint j : Joint.values()) {
                int k = j.ordinal();
                if (pa.score(j) > 0 && pb.score(j) > 0) {
                    x[k] = pa.x(j) + t * (pb.x(j) - pa.x(j));
                    y[k] = pa.y(j) + t * (pb.y(j) - pa.y(j));
                    s[k] = Math.min(1f, pa.score(j) + t * (pb.score(j) - pa.score(j)));
                } else {
                    Pose near = t < 0.5f ? pa : pb;
                    x[k] = near.x(j);
                    y[k] = near.y(j);
                    s[k] = near.score(j);
                }
            }
            frames.add(new Pose(x, y, s));
        }
        return new PoseTrack(track.source(), track.format(), fps, track.width(), track.height(), frames);
    }

    private static void unpack(PoseTrack track, float[][] x, float[][] y, float[][] s) {
        for (int f = 0; f < track.size(); f++) {
            Pose p = track.frames().get(f);
            x[f] = p.xs();
            y[f] = p.ys();
            s[f] = p.scores();
        }
    }

    private static PoseTrack pack(PoseTrack track, double fps, float[][] x, float[][] y, float[][] s) {
        List<Pose> frames = new ArrayList<>(x.length);
        for (int f = 0; f < x.length; f++) {
            frames.add(new Pose(x[f], y[f], s[f]));
        }
        return new PoseTrack(track.source(), track.format(), fps, track.width(), track.height(), frames);
    }
}

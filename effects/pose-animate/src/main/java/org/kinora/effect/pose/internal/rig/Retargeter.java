package org.kinora.effect.pose.internal.rig;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;

/**
 * Maps a driver's poses onto a character: every bone of the character keeps its own length and takes the driver's
 * direction, rebuilt from the pelvis outwards, so a long-limbed driver does not stretch a short-limbed character.
 * Foreshortening carries over as a ratio: a driver's bone seen at 60% of its longest length in the track is drawn at
 * 60% of the character's length. The pelvis follows the driver's pelvis, its displacement scaled by the ratio of the
 * two bodies' heights (pelvis to neck plus leg), or stays pinned where the character stands.
 *
 * <p>Bones the driver does not show in a frame (a joint unseen, or a format without the face) keep their last direction,
 * or before any was seen the character's own rest direction turned with the parent bone.
 */
public final class Retargeter {

    /** What the character's pelvis does. */
    public enum Root {
        /** Moves as the driver's pelvis moves, scaled to the character's size. */
        FOLLOW,
        /** Stays where the character stands in the still. */
        PIN;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Keypoints below this confidence count as unseen. */
    public static final float MIN_SCORE = 0.2f;
    /** Shortest and longest length of a bone relative to the character's, so one bad keypoint cannot fold or blow up a limb. */
    static final double MIN_RATIO = 0.15;
    static final double MAX_RATIO = 1.15;
    /** Percentile of a driver bone's lengths over the track taken as its full length. */
    static final double FULL_LENGTH_PERCENTILE = 0.9;

    private static final Bone[] BONES = Bone.values();

    private final double[][] rest;
    private final double[] restLength = new double[BONES.length];
    private final double[] restAngle = new double[BONES.length];
    private final double[] driverFull = new double[BONES.length];
    private final List<Pose> driver;
    private final double scale;
    private final double[] driverRoot0;
    private final Root root;

    /**
     * @param character the character's rest pose (in output pixels); its shoulders and hips must be seen
     * @param driver    the driver's track, already at the output's frame rate
     * @throws IllegalArgumentException naming the joints the character's rest pose lacks
     */
    public Retargeter(Pose character, PoseTrack driver, Root root) {
        boolean[] seen = new boolean[Skeleton2d.POINTS];
        this.rest = Skeleton2d.points(character, MIN_SCORE, seen);
        List<String> missing = Arrays.stream(Joint.values()).filter(j -> j.ordinal() >= Joint.LEFT_SHOULDER.ordinal() && !seen[j.ordinal()])
                .map(Joint::key).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the character's rest pose does not show " + String.join(", ", missing));
        }
        for (Bone b : BONES) {
            restLength[b.ordinal()] = Skeleton2d.length(rest, b);
            restAngle[b.ordinal()] = Skeleton2d.angle(rest, b);
            if (!seen[Skeleton2d.start(b)] || !seen[Skeleton2d.end(b)]) {
                restLength[b.ordinal()] = 0; // a face point the rest pose lacks: no bone
            }
        }
        this.driver = driver.frames();
        this.root = root;
        double[][] lengths = new double[BONES.length][driver.size()];
        int[] counts = new int[BONES.length];
        double[] root0 = null;
        for (Pose p : driver.frames()) {
            boolean[] s = new boolean[Skeleton2d.POINTS];
            double[][] pts = Skeleton2d.points(p, MIN_SCORE, s);
            for (Bone b : BONES) {
                if (s[Skeleton2d.start(b)] && s[Skeleton2d.end(b)]) {
                    lengths[b.ordinal()][counts[b.ordinal()]++] = Skeleton2d.length(pts, b);
                }
            }
            if (root0 == null && s[Skeleton2d.PELVIS]) {
                root0 = pts[Skeleton2d.PELVIS];
            }
        }
        for (Bone b : BONES) {
            double[] l = Arrays.copyOf(lengths[b.ordinal()], counts[b.ordinal()]);
            Arrays.sort(l);
            driverFull[b.ordinal()] = l.length == 0 ? 0 : l[(int) Math.min(l.length - 1, Math.floor(FULL_LENGTH_PERCENTILE * l.length))];
        }
        this.driverRoot0 = root0 == null ? new double[2] : root0;
        this.scale = height(restLength) / Math.max(1e-6, height(driverFull));
    }

    /** Pelvis to neck plus the longer leg: a body height that does not depend on the arms or the face. */
    private static double height(double[] len) {
        double left = len[Bone.LEFT_THIGH.ordinal()] + len[Bone.LEFT_SHIN.ordinal()];
        double right = len[Bone.RIGHT_THIGH.ordinal()] + len[Bone.RIGHT_SHIN.ordinal()];
        return len[Bone.SPINE.ordinal()] + Math.max(left, right);
    }

    /** Frames in the driver's track. */
    public int frames() {
        return driver.size();
    }

    /** Character height over driver height: how root motion is scaled. */
    public double scale() {
        return scale;
    }

    /**
     * All frames retargeted, in order (each frame's unseen bones keep the previous frame's direction).
     *
     * @return the character's pose per frame, in output pixels; joints the rest pose lacks have score 0
     */
    public List<Pose> all() {
        double[] lastAngle = new double[BONES.length];
        Arrays.fill(lastAngle, Double.NaN);
        double[] lastRoot = rest[Skeleton2d.PELVIS].clone();
        Pose[] out = new Pose[driver.size()];
        for (int t = 0; t < out.length; t++) {
            double[][] p = frame(driver.get(t), lastAngle, lastRoot);
            lastRoot = p[Skeleton2d.PELVIS];
            out[t] = toPose(p);
        }
        return List.of(out);
    }

    /** One frame's points; updates {@code lastAngle} with the bones the driver shows. */
    private double[][] frame(Pose d, double[] lastAngle, double[] lastRoot) {
        boolean[] s = new boolean[Skeleton2d.POINTS];
        double[][] dp = Skeleton2d.points(d, MIN_SCORE, s);
        double[][] p = new double[Skeleton2d.POINTS][];
        double[] r = rest[Skeleton2d.PELVIS];
        if (root == Root.PIN) {
            p[Skeleton2d.PELVIS] = r.clone();
        } else if (s[Skeleton2d.PELVIS]) {
            p[Skeleton2d.PELVIS] = new double[] {r[0] + scale * (dp[Skeleton2d.PELVIS][0] - driverRoot0[0]),
                    r[1] + scale * (dp[Skeleton2d.PELVIS][1] - driverRoot0[1])};
        } else {
            p[Skeleton2d.PELVIS] = lastRoot.clone(); // the driver's hips unseen this frame: stay put
        }
        double[] angle = new double[BONES.length];
        for (Bone b : BONES) {
            int i = b.ordinal();
            int from = Skeleton2d.start(b);
            int to = Skeleton2d.end(b);
            double ratio = 1;
            if (s[from] && s[to] && driverFull[i] > 0) {
                angle[i] = Skeleton2d.angle(dp, b);
                ratio = Math.max(MIN_RATIO, Math.min(MAX_RATIO, Skeleton2d.length(dp, b) / driverFull[i]));
                lastAngle[i] = angle[i];
            } else if (!Double.isNaN(lastAngle[i])) {
                angle[i] = lastAngle[i];
            } else {
                Bone parent = Skeleton2d.parent(b);
                double turn = parent == null ? 0 : angle[parent.ordinal()] - restAngle[parent.ordinal()];
                angle[i] = restAngle[i] + turn;
            }
            double len = restLength[i] * ratio;
            double[] start = p[from];
            p[to] = new double[] {start[0] + len * Math.cos(angle[i]), start[1] + len * Math.sin(angle[i])};
        }
        return p;
    }

    private Pose toPose(double[][] p) {
        float[] x = new float[Joint.COUNT];
        float[] y = new float[Joint.COUNT];
        float[] score = new float[Joint.COUNT];
        for (Bone b : BONES) {
            int to = Skeleton2d.end(b);
            if (to < Joint.COUNT && restLength[b.ordinal()] > 0) {
                x[to] = (float) p[to][0];
                y[to] = (float) p[to][1];
                score[to] = 1f;
            }
        }
        return new Pose(x, y, score);
    }
}

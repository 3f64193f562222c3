package org.kinora.effect.pose.internal.track;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;

/**
 * OpenPose output (doc/02_output.md), one per-frame object at a time: {@code {"people": [{"pose_keypoints_2d": [x, y, c,
 * ...]}]}}. The skeleton is told from the number of values: 75 for BODY_25, 54 for COCO-18; both are mapped onto COCO-17.
 * One person is followed: the most confident one in the first frame with people, then in each frame the one nearest to
 * the previous choice.
 */
final class OpenPoseFrames {

    /** BODY_25 keypoint index of each COCO-17 joint, in {@link Joint} order. */
    private static final int[] BODY_25 = {0, 16, 15, 18, 17, 5, 2, 6, 3, 7, 4, 12, 9, 13, 10, 14, 11};
    /** COCO-18 keypoint index of each COCO-17 joint. */
    private static final int[] COCO_18 = {0, 15, 14, 17, 16, 5, 2, 6, 3, 7, 4, 11, 8, 12, 9, 13, 10};

    private final Path file;
    private final List<Pose> frames = new ArrayList<>();
    private int values = -1;
    private Pose previous;

    OpenPoseFrames(Path file) {
        this.file = file;
    }

    /** Whether a JSON value looks like an OpenPose per-frame object. */
    static boolean isFrame(JsonNode n) {
        return n.isObject() && n.has("people");
    }

    /** Adds the next frame; {@code where} names it in messages ("frame 3", or with the file it came from). */
    void add(JsonNode frame, String where) throws PoseTrackException {
        JsonNode people = frame.get("people");
        if (!frame.isObject() || people == null || !people.isArray()) {
            throw TrackJson.fail(file, where + ": not an OpenPose frame (an object with a \"people\" list)");
        }
        List<Pose> candidates = new ArrayList<>(people.size());
        for (int i = 0; i < people.size(); i++) {
            String who = people.size() == 1 ? where : where + ", person " + (i + 1);
            candidates.add(person(people.get(i), who));
        }
        Pose chosen = choose(candidates);
        if (chosen == null) {
            frames.add(Pose.empty());
        } else {
            frames.add(chosen);
            previous = chosen;
        }
    }

    /** The track, or null when no frame was added. */
    PoseTrack finish(String source) {
        if (frames.isEmpty()) {
            return null;
        }
        return new PoseTrack(source, format(), 0, 0, 0, frames);
    }

    private String format() {
        return values == 54 ? "openpose-coco18" : "openpose-body25";
    }

    private Pose person(JsonNode person, String where) throws PoseTrackException {
        JsonNode k = person.get("pose_keypoints_2d");
        if (k == null || !k.isArray()) {
            throw TrackJson.fail(file, where + ": a person without a \"pose_keypoints_2d\" list");
        }
        if (k.size() != 75 && k.size() != 54) {
            throw TrackJson.fail(file, where + ": unknown skeleton: pose_keypoints_2d has " + k.size()
                    + " values; OpenPose BODY_25 has 75 (25 x, y, c) and COCO-18 has 54");
        }
        if (values < 0) {
            values = k.size();
        } else if (values != k.size()) {
            throw TrackJson.fail(file, where + ": pose_keypoints_2d has " + k.size() + " values where earlier frames had "
                    + values + " (BODY_25 and COCO-18 mixed in one track)");
        }
        int[] index = values == 75 ? BODY_25 : COCO_18;
        float[] x = new float[Joint.COUNT];
        float[] y = new float[Joint.COUNT];
        float[] c = new float[Joint.COUNT];
        for (Joint j : Joint.values()) {
            int at = 3 * index[j.ordinal()];
            x[j.ordinal()] = TrackJson.coordinate(file, k.get(at), where, j, "x");
            y[j.ordinal()] = TrackJson.coordinate(file, k.get(at + 1), where, j, "y");
            c[j.ordinal()] = TrackJson.confidence(file, k.get(at + 2), where, j);
        }
        return new Pose(x, y, c);
    }

    private Pose choose(List<Pose> candidates) {
        Pose best = null;
        if (previous != null) {
            double nearest = Double.POSITIVE_INFINITY;
            for (Pose p : candidates) {
                double d = meanDistance(previous, p);
                if (d < nearest) {
                    nearest = d;
                    best = p;
                }
            }
        }
        if (best == null) {
            double most = -1;
            for (Pose p : candidates) {
                double sum = 0;
                for (float s : p.scores()) {
                    sum += s;
                }
                if (sum > most) {
                    most = sum;
                    best = p;
                }
            }
        }
        return best;
    }

    /** Mean distance over the joints seen in both, infinite when none is. */
    static double meanDistance(Pose a, Pose b) {
        double sum = 0;
        int n = 0;
        for (Joint j : Joint.values()) {
            if (a.score(j) > 0 && b.score(j) > 0) {
                sum += Math.hypot(a.x(j) - b.x(j), a.y(j) - b.y(j));
                n++;
            }
        }
        return n == 0 ? Double.POSITIVE_INFINITY : sum / n;
    }
}

package org.kinora.effect.pose.internal.track;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;

/**
 * COCO-17 keypoints, in either of two shapes: a COCO annotation file (images, one frame each in id order; of the
 * annotations of an image the one with most labelled keypoints; v = 0 not labelled, 1 or 2 labelled) or a plain array of
 * objects with {@code keypoints} (51 numbers x, y, c where c is a detector's confidence in [0, 1] or a COCO visibility
 * flag 2).
 */
final class CocoFrames {

    private static final int VALUES = 3 * Joint.COUNT;

    private record Image(long id, int width, int height) {
    }

    private record Best(Pose pose, int labelled) {
    }

    private final Path file;
    private final List<Image> images = new ArrayList<>();
    private final Map<Long, Best> annotations = new HashMap<>();
    private final List<Pose> plain = new ArrayList<>();

    CocoFrames(Path file) {
        this.file = file;
    }

    /** Whether a JSON value looks like one entry of a plain keypoint array. */
    static boolean isPlainEntry(JsonNode n) {
        return n.isObject() && n.has("keypoints");
    }

    /** The {@code categories} list, when there is one, must describe the 17-point person skeleton. */
    void categories(JsonNode categories) throws PoseTrackException {
        if (categories == null || !categories.isArray()) {
            return;
        }
        for (JsonNode c : categories) {
            JsonNode k = c.get("keypoints");
            if (k != null && k.isArray() && k.size() != Joint.COUNT) {
                throw TrackJson.fail(file, "unknown skeleton: category " + TrackJson.show(c.get("name")) + " has "
                        + k.size() + " keypoints; COCO-17 has 17");
            }
        }
    }

    void addImage(JsonNode image, int index) throws PoseTrackException {
        String where = "image " + index;
        JsonNode id = image.get("id");
        if (id == null || !id.canConvertToExactIntegral() || !id.canConvertToLong()) {
            throw TrackJson.fail(file, where + ": \"id\" is not a whole number (" + TrackJson.show(id) + ")");
        }
        images.add(new Image(id.asLong(), size(image.get("width")), size(image.get("height"))));
    }

    private static int size(JsonNode n) {
        return n != null && n.canConvertToInt() && n.canConvertToExactIntegral() && n.asInt() > 0 ? n.asInt() : 0;
    }

    void addAnnotation(JsonNode annotation, int index) throws PoseTrackException {
        String where = "annotation " + index;
        JsonNode id = annotation.get("image_id");
        if (id == null || !id.canConvertToExactIntegral() || !id.canConvertToLong()) {
            throw TrackJson.fail(file, where + ": \"image_id\" is not a whole number (" + TrackJson.show(id) + ")");
        }
        Pose pose = pose(annotation.get("keypoints"), where, true);
        int labelled = 0;
        JsonNode n = annotation.get("num_keypoints");
        if (n != null && n.canConvertToInt()) {
            labelled = n.asInt();
        } else {
            for (float s : pose.scores()) {
                labelled += s > 0 ? 1 : 0;
            }
        }
        Best old = annotations.get(id.asLong());
        if (old == null || labelled > old.labelled()) {
            annotations.put(id.asLong(), new Best(pose, labelled));
        }
    }

    void addPlain(JsonNode entry, int index) throws PoseTrackException {
        if (!isPlainEntry(entry)) {
            throw TrackJson.fail(file, "frame " + index + ": not an object with \"keypoints\"");
        }
        plain.add(pose(entry.get("keypoints"), "frame " + index, false));
    }

    private Pose pose(JsonNode k, String where, boolean flags) throws PoseTrackException {
        if (k == null || !k.isArray()) {
            throw TrackJson.fail(file, where + ": no \"keypoints\" list");
        }
        if (k.size() != VALUES) {
            throw TrackJson.fail(file, where + ": unknown skeleton: " + k.size() + " keypoint values; COCO-17 has "
                    + VALUES + " (17 x, y, v)");
        }
        float[] x = new float[Joint.COUNT];
        float[] y = new float[Joint.COUNT];
        float[] s = new float[Joint.COUNT];
        for (Joint j : Joint.values()) {
            int at = 3 * j.ordinal();
            x[j.ordinal()] = TrackJson.coordinate(file, k.get(at), where, j, "x");
            y[j.ordinal()] = TrackJson.coordinate(file, k.get(at + 1), where, j, "y");
            s[j.ordinal()] = flags ? visibility(k.get(at + 2), where, j) : confidenceOrFlag(k.get(at + 2), where, j);
        }
        return new Pose(x, y, s);
    }

    private float visibility(JsonNode v, String where, Joint j) throws PoseTrackException {
        if (v == null || !v.isNumber() || !(v.doubleValue() == 0 || v.doubleValue() == 1 || v.doubleValue() == 2)) {
            throw TrackJson.fail(file, where + ", " + j.key() + ": visibility " + TrackJson.show(v) + " is not 0, 1 or 2");
        }
        return v.doubleValue() > 0 ? 1 : 0;
    }

    private float confidenceOrFlag(JsonNode c, String where, Joint j) throws PoseTrackException {
        if (c != null && c.isNumber() && c.doubleValue() == 2) {
            return 1;
        }
        if (c != null && c.isNumber() && c.doubleValue() > 1) {
            throw TrackJson.fail(file, where + ", " + j.key() + ": confidence " + TrackJson.show(c)
                    + " is neither in [0, 1] nor a COCO visibility flag (0, 1, 2)");
        }
        return TrackJson.confidence(file, c, where, j);
    }

    /** The track, or null when there are no frames. */
    PoseTrack finish(String source, boolean annotationFile) throws PoseTrackException {
        if (!annotationFile) {
            return plain.isEmpty() ? null : new PoseTrack(source, "coco17", 0, 0, 0, plain);
        }
        Map<Long, Image> byId = new TreeMap<>();
        for (Image i : images) {
            if (byId.put(i.id(), i) != null) {
                throw TrackJson.fail(file, "two images have id " + i.id());
            }
        }
        for (Long id : annotations.keySet()) {
            if (!byId.containsKey(id)) {
                throw TrackJson.fail(file, "an annotation refers to image_id " + id + ", which is not among the images");
            }
        }
        if (byId.isEmpty()) {
            return null;
        }
        List<Pose> frames = new ArrayList<>(byId.size());
        int width = -1;
        int height = -1;
        for (Image i : byId.values()) {
            Best b = annotations.get(i.id());
            frames.add(b == null ? Pose.empty() : b.pose());
            width = width < 0 || width == i.width() ? i.width() : 0;
            height = height < 0 || height == i.height() ? i.height() : 0;
        }
        if (width == 0 || height == 0) {
            width = 0;
            height = 0;
        }
        return new PoseTrack(source, "coco17", 0, width, height, frames);
    }
}

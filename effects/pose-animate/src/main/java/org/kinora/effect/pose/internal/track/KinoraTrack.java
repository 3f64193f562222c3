package org.kinora.effect.pose.internal.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;

/**
 * Kinora's own track format (documented in {@code samples/pose/README.md}):
 * <pre>
 * {"format": "kinora-pose-track", "version": 1, "skeleton": "coco17", "source": "...", "fps": 25, "width": 1280,
 *  "height": 720, "joints": ["nose", ..., "right_ankle"], "frames": [[[x, y, score] x 17], ...]}
 * </pre>
 * The joint list names the order of the triples in a frame, so a reader can check (and a writer may choose) the order.
 */
final class KinoraTrack {

    static final String FORMAT = "kinora-pose-track";
    static final int VERSION = 1;

    private final Path file;
    private final Map<String, JsonNode> top;
    /** Each frame's values in file order (x, y, score per triple), checked; reordered by {@code joints} at the end. */
    private final List<float[]> frames = new ArrayList<>();
    private int[] slot;

    /**
     * @param top the top-level fields read so far, filled in as the file is read (the joint order is used for messages
     *            as soon as it is known)
     */
    KinoraTrack(Path file, Map<String, JsonNode> top) {
        this.file = file;
        this.top = top;
    }

    /** Whether a JSON value looks like one Kinora frame (an array of triples). */
    static boolean isFrame(JsonNode n) {
        return n.isArray();
    }

    /** Checks a frame and keeps its numbers (the {@code joints} field may come after {@code frames}). */
    void add(JsonNode frame, int index) throws PoseTrackException {
        String where = "frame " + index;
        if (!frame.isArray() || frame.size() != Joint.COUNT) {
            throw TrackJson.fail(file, where + ": not a list of " + Joint.COUNT + " [x, y, score] triples ("
                    + (frame.isArray() ? frame.size() + " entries" : TrackJson.show(frame)) + ")");
        }
        if (slot == null && top.containsKey("joints")) {
            slot = jointOrder(top.get("joints"));
        }
        float[] v = new float[3 * Joint.COUNT];
        for (int i = 0; i < Joint.COUNT; i++) {
            // before the joint order is known a triple is named by the joint of the default order
            Joint j = Joint.values()[slot == null ? i : slot[i]];
            JsonNode t = frame.get(i);
            if (!t.isArray() || t.size() != 3) {
                throw TrackJson.fail(file, where + ", " + j.key() + ": not an [x, y, score] triple (" + TrackJson.show(t) + ")");
            }
            v[3 * i] = TrackJson.coordinate(file, t.get(0), where, j, "x");
            v[3 * i + 1] = TrackJson.coordinate(file, t.get(1), where, j, "y");
            v[3 * i + 2] = TrackJson.confidence(file, t.get(2), where, j);
        }
        frames.add(v);
    }

    /**
     * The track from the top-level fields and the frames kept, or null when there are no frames.
     *
     * @param source the name of the file, for {@link PoseTrack#source()}
     */
    PoseTrack finish(String source) throws PoseTrackException {
        JsonNode version = top.get("version");
        if (version == null || !version.canConvertToExactIntegral()) {
            throw TrackJson.fail(file, "a Kinora track needs \"version\": " + VERSION);
        }
        if (version.asInt() != VERSION) {
            throw TrackJson.fail(file, "Kinora track version " + TrackJson.show(version) + "; this Kinora reads version "
                    + VERSION);
        }
        JsonNode skeleton = top.get("skeleton");
        if (skeleton != null && !"coco17".equals(skeleton.asText())) {
            throw TrackJson.fail(file, "unknown skeleton " + TrackJson.show(skeleton) + "; Kinora tracks use \"coco17\"");
        }
        JsonNode fpsNode = top.get("fps");
        if (fpsNode == null || !fpsNode.isNumber() || !(fpsNode.doubleValue() > 0) || fpsNode.doubleValue() > 1000) {
            throw TrackJson.fail(file, "\"fps\" must be a frame rate above 0 (at most 1000), got " + TrackJson.show(fpsNode));
        }
        int width = dimension(top.get("width"), "width");
        int height = dimension(top.get("height"), "height");
        int[] order = jointOrder(top.get("joints"));
        if (frames.isEmpty()) {
            return null;
        }
        List<Pose> poses = new ArrayList<>(frames.size());
        for (int f = 0; f < frames.size(); f++) {
            float[] v = frames.get(f);
            frames.set(f, null);
            float[] x = new float[Joint.COUNT];
            float[] y = new float[Joint.COUNT];
            float[] s = new float[Joint.COUNT];
            for (int i = 0; i < Joint.COUNT; i++) {
                x[order[i]] = v[3 * i];
                y[order[i]] = v[3 * i + 1];
                s[order[i]] = v[3 * i + 2];
            }
            poses.add(new Pose(x, y, s));
        }
        // the track is named after the file it is read from (messages then point at that file); the recorded source is
        // what the file was made from, for people reading it
        return new PoseTrack(source, "kinora", fpsNode.doubleValue(), width, height, poses);
    }

    private int dimension(JsonNode n, String name) throws PoseTrackException {
        if (n == null) {
            return 0;
        }
        if (!n.canConvertToExactIntegral() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > 100_000) {
            throw TrackJson.fail(file, "\"" + name + "\" must be a whole number of pixels (0 = unknown), got " + TrackJson.show(n));
        }
        return n.asInt();
    }

    /** For each position in a frame, the joint it holds. */
    private int[] jointOrder(JsonNode joints) throws PoseTrackException {
        int[] slot = new int[Joint.COUNT];
        if (joints == null) {
            for (int i = 0; i < slot.length; i++) {
                slot[i] = i;
            }
            return slot;
        }
        if (!joints.isArray() || joints.size() != Joint.COUNT) {
            throw TrackJson.fail(file, "unknown skeleton: \"joints\" must list the " + Joint.COUNT + " COCO-17 joints, got "
                    + TrackJson.show(joints));
        }
        boolean[] named = new boolean[Joint.COUNT];
        for (int i = 0; i < Joint.COUNT; i++) {
            String name = joints.get(i).asText();
            Joint j = Joint.byKey(name).orElseThrow(() -> TrackJson.fail(file,
                    "unknown skeleton: \"joints\" names \"" + name + "\", not a COCO-17 joint"));
            if (named[j.ordinal()]) {
                throw TrackJson.fail(file, "\"joints\" names " + j.key() + " twice");
            }
            named[j.ordinal()] = true;
            slot[i] = j.ordinal();
        }
        return slot;
    }

    /** Writes {@code track} in this format: one frame per line, positions to 2 decimals, scores to 3. */
    static void write(PoseTrack track, Writer out) throws IOException {
        out.write("{\n  \"format\": \"" + FORMAT + "\",\n  \"version\": " + VERSION + ",\n  \"skeleton\": \"coco17\",\n");
        out.write("  \"source\": " + quote(track.source()) + ",\n");
        out.write("  \"fps\": " + number(track.fps(), 6) + ",\n  \"width\": " + track.width() + ",\n  \"height\": "
                + track.height() + ",\n  \"joints\": [");
        for (Joint j : Joint.values()) {
            out.write((j.ordinal() == 0 ? "" : ", ") + "\"" + j.key() + "\"");
        }
        out.write("],\n  \"frames\": [\n");
        StringBuilder line = new StringBuilder(600);
        for (int f = 0; f < track.size(); f++) {
            Pose p = track.frames().get(f);
            line.setLength(0);
            line.append("    [");
            for (Joint j : Joint.values()) {
                boolean seen = p.score(j) > 0;
                line.append(j.ordinal() == 0 ? "[" : ", [")
                        .append(seen ? number(p.x(j), 2) : "0").append(", ")
                        .append(seen ? number(p.y(j), 2) : "0").append(", ")
                        .append(seen ? number(p.score(j), 3) : "0").append(']');
            }
            line.append(f + 1 < track.size() ? "],\n" : "]\n");
            out.write(line.toString());
        }
        out.write("  ]\n}\n");
    }

    private static String quote(String s) throws JsonProcessingException {
        return TrackJson.JSON.writeValueAsString(s == null ? "" : s);
    }

    /** {@code v} rounded to {@code decimals}, without a trailing ".0" for whole numbers. */
    static String number(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        double r = Math.round(v * scale) / scale;
        if (r == Math.rint(r) && Math.abs(r) < 1e15) {
            return Long.toString((long) r);
        }
        return java.math.BigDecimal.valueOf(r).setScale(decimals, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }
}

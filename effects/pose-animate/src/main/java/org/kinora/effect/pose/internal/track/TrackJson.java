package org.kinora.effect.pose.internal.track;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.PoseTrackException;

/** The JSON reader every track format shares, and the checks on the numbers read from it. */
final class TrackJson {

    /**
     * NaN and Infinity parse (as numbers) so that they are reported by frame and joint rather than as a parser message;
     * duplicate fields are an error, as they would make the file mean two things.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private TrackJson() {
    }

    static PoseTrackException fail(Path file, String problem) {
        return new PoseTrackException(file + ": " + problem);
    }

    /** A coordinate: a finite number. */
    static float coordinate(Path file, JsonNode n, String where, Joint joint, String axis) throws PoseTrackException {
        if (n == null || !n.isNumber()) {
            throw fail(file, where + ", " + joint.key() + ": " + axis + " is not a number (" + show(n) + ")");
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v) || Math.abs(v) > 1e9) {
            throw fail(file, where + ", " + joint.key() + ": " + axis + " is " + show(n) + ", not a usable coordinate");
        }
        return (float) v;
    }

    /** A confidence in [0, 1]. */
    static float confidence(Path file, JsonNode n, String where, Joint joint) throws PoseTrackException {
        if (n == null || !n.isNumber()) {
            throw fail(file, where + ", " + joint.key() + ": the confidence is not a number (" + show(n) + ")");
        }
        double v = n.doubleValue();
        if (!(v >= 0 && v <= 1)) {
            throw fail(file, where + ", " + joint.key() + ": confidence " + show(n) + " is not in [0, 1]");
        }
        return (float) v;
    }

    static String show(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        String s = n.isNumber() ? numberText(n.doubleValue()) : n.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String numberText(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}

package org.kinora.effect.pose.internal.track;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small hand-written BVH rig for tests (units: cm, y up, facing +z, T-pose; the performer's left is +x): hips at the
 * origin, hip joints 10 to each side, thighs and shins 40 long, a spine of 50, head 20 above the spine with an End Site
 * 10 above it, clavicles 5 and upper arms 15 out from the spine top, forearms 30, hands 25. Joint names come from a
 * naming scheme (CMU, Mixamo, Daz, plain) so the same rig tests every name mapping. Rest pose: shoulders at (+-20, 50),
 * elbows (+-50, 50), wrists (+-75, 50), hips (+-10, 0), knees (+-10, -40), ankles (+-10, -80), nose (head End Site)
 * (0, 80): 160 from nose to ankles.
 */
final class TestRig {

    /** Rig joints, in the order their channels appear in a frame. */
    static final List<String> KEYS = List.of("hips", "lhip", "lknee", "lankle", "rhip", "rknee", "rankle", "spine", "head",
            "lclav", "lsh", "lel", "lwr", "rclav", "rsh", "rel", "rwr");

    static final Map<String, String> CMU = names("Hips", "LeftUpLeg", "LeftLeg", "LeftFoot", "RightUpLeg", "RightLeg",
            "RightFoot", "Spine", "Head", "LeftShoulder", "LeftArm", "LeftForeArm", "LeftHand", "RightShoulder", "RightArm",
            "RightForeArm", "RightHand");
    static final Map<String, String> MIXAMO = prefixed("mixamorig:", CMU);
    static final Map<String, String> DAZ = names("hip", "lThigh", "lShin", "lFoot", "rThigh", "rShin", "rFoot", "abdomen",
            "head", "lCollar", "lShldr", "lForeArm", "lHand", "rCollar", "rShldr", "rForeArm", "rHand");
    static final Map<String, String> PLAIN = names("Pelvis", "LeftHip", "LeftKnee", "LeftAnkle", "RightHip", "RightKnee",
            "RightAnkle", "Chest", "Head", "LeftCollar", "LeftShoulder", "LeftElbow", "LeftWrist", "RightCollar",
            "RightShoulder", "RightElbow", "RightWrist");

    private static final String ROT = "Zrotation Xrotation Yrotation";

    private final Map<String, String> names;
    private String leftArmChannels = ROT;
    private final StringBuilder motion = new StringBuilder();
    private int frames;
    private double frameTime = 1 / 30.0;
    private String frameTimeText;

    TestRig(Map<String, String> names) {
        this.names = names;
    }

    /** The channels of the left upper arm (default Zrotation Xrotation Yrotation). */
    TestRig leftArmChannels(String channels) {
        this.leftArmChannels = channels;
        return this;
    }

    TestRig frameTime(double seconds) {
        this.frameTime = seconds;
        return this;
    }

    /** Frame Time written as given. */
    TestRig frameTimeText(String text) {
        this.frameTimeText = text;
        return this;
    }

    /**
     * Adds a frame: the hips' position, then per joint key the values of its rotation channels in the order listed
     * (missing keys: zeros).
     */
    TestRig frame(double x, double y, double z, Map<String, double[]> rotations) {
        StringBuilder line = new StringBuilder();
        line.append(x).append(' ').append(y).append(' ').append(z);
        for (String key : KEYS) {
            double[] r = rotations.getOrDefault(key, new double[3]);
            int n = key.equals("lsh") ? leftArmChannels.split(" ").length : 3;
            for (int i = 0; i < n; i++) {
                line.append(' ').append(i < r.length ? r[i] : 0);
            }
        }
        motion.append(line).append('\n');
        frames++;
        return this;
    }

    /** A frame with no rotation. */
    TestRig rest(double x, double y, double z) {
        return frame(x, y, z, Map.of());
    }

    String text() {
        return hierarchy() + "MOTION\nFrames: " + frames + "\nFrame Time: "
                + (frameTimeText != null ? frameTimeText : Double.toString(frameTime)) + "\n" + motion;
    }

    String hierarchy() {
        return "HIERARCHY\n"
                + "ROOT " + names.get("hips") + "\n{\n  OFFSET 0 0 0\n  CHANNELS 6 Xposition Yposition Zposition " + ROT + "\n"
                + leg("l", 10) + leg("r", -10)
                + "  JOINT " + names.get("spine") + "\n  {\n    OFFSET 0 50 0\n    CHANNELS 3 " + ROT + "\n"
                + "    JOINT " + names.get("head") + "\n    {\n      OFFSET 0 20 0\n      CHANNELS 3 " + ROT + "\n"
                + "      End Site\n      {\n        OFFSET 0 10 0\n      }\n    }\n"
                + arm("l", 1) + arm("r", -1)
                + "  }\n}\n";
    }

    private String leg(String side, double x) {
        return "  JOINT " + names.get(side + "hip") + "\n  {\n    OFFSET " + x + " 0 0\n    CHANNELS 3 " + ROT + "\n"
                + "    JOINT " + names.get(side + "knee") + "\n    {\n      OFFSET 0 -40 0\n      CHANNELS 3 " + ROT + "\n"
                + "      JOINT " + names.get(side + "ankle") + "\n      {\n        OFFSET 0 -40 0\n        CHANNELS 3 " + ROT + "\n"
                + "        End Site\n        {\n          OFFSET 0 0 10\n        }\n      }\n    }\n  }\n";
    }

    private String arm(String side, int sign) {
        String shoulderChannels = side.equals("l") ? leftArmChannels : ROT;
        return "    JOINT " + names.get(side + "clav") + "\n    {\n      OFFSET " + 5 * sign + " 0 0\n      CHANNELS 3 " + ROT + "\n"
                + "      JOINT " + names.get(side + "sh") + " {\n        OFFSET " + 15 * sign + " 0 0\n        CHANNELS "
                + shoulderChannels.split(" ").length + " " + shoulderChannels + "\n"
                + "        JOINT " + names.get(side + "el") + "\n        {\n          OFFSET " + 30 * sign + " 0 0\n"
                + "          CHANNELS 3 " + ROT + "\n"
                + "          JOINT " + names.get(side + "wr") + "\n          {\n            OFFSET " + 25 * sign + " 0 0\n"
                + "            CHANNELS 3 " + ROT + "\n"
                + "            End Site\n            {\n              OFFSET " + 5 * sign + " 0 0\n            }\n"
                + "          }\n        }\n      }\n    }\n";
    }

    /** Rotations for {@link #frame}: key, then three values, repeated. */
    static Map<String, double[]> rot(Object... keyAndValues) {
        Map<String, double[]> m = new HashMap<>();
        for (int i = 0; i < keyAndValues.length; i += 2) {
            m.put((String) keyAndValues[i], (double[]) keyAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, String> names(String... n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < KEYS.size(); i++) {
            m.put(KEYS.get(i), n[i]);
        }
        return m;
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> base) {
        Map<String, String> m = new LinkedHashMap<>();
        base.forEach((k, v) -> m.put(k, prefix + v));
        return m;
    }
}

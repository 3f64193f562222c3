package org.kinora.effect.pose.internal.track;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.kinora.core.pose.Joint;

/**
 * Which BVH joint stands for which COCO-17 joint, by name, for the common rigs: CMU and Mixamo ({@code LeftArm},
 * {@code LeftForeArm}, {@code LeftHand}, {@code LeftUpLeg}, {@code LeftLeg}, {@code LeftFoot}; Mixamo's
 * {@code mixamorig:} prefix and any other prefix up to the last ':' ignored), cgspeed/Daz ({@code lShldr},
 * {@code lForeArm}, {@code lHand}, {@code lThigh}, {@code lShin}, {@code lFoot}), Unity/VRM ({@code LeftUpperArm},
 * {@code LeftLowerLeg}), Unreal and Blender suffixes ({@code upperarm_l}, {@code hand.L}) and plain names
 * ({@code LeftShoulder}, {@code LeftElbow}, {@code LeftWrist}, {@code LeftHip}, {@code LeftKnee}, {@code LeftAnkle}).
 * Case, '_', '-', '.' and spaces are ignored.
 */
final class BvhJointNames {

    /**
     * Names for each limb joint without the side, best first. CMU's {@code LeftShoulder} is the clavicle, so
     * {@code arm} and {@code upperarm} go before {@code shoulder}; likewise CMU's {@code LeftLeg} is the shin.
     */
    private static final Map<Joint, List<String>> BASES = new EnumMap<>(Joint.class);

    static {
        List<String> shoulder = List.of("arm", "upperarm", "shldr", "shldrbend", "shoulder");
        List<String> elbow = List.of("forearm", "lowerarm", "forearmbend", "elbow");
        List<String> wrist = List.of("hand", "wrist");
        List<String> hip = List.of("upleg", "upperleg", "thigh", "thighbend", "hip");
        List<String> knee = List.of("leg", "lowerleg", "shin", "calf", "knee");
        List<String> ankle = List.of("foot", "ankle");
        BASES.put(Joint.LEFT_SHOULDER, shoulder);
        BASES.put(Joint.RIGHT_SHOULDER, shoulder);
        BASES.put(Joint.LEFT_ELBOW, elbow);
        BASES.put(Joint.RIGHT_ELBOW, elbow);
        BASES.put(Joint.LEFT_WRIST, wrist);
        BASES.put(Joint.RIGHT_WRIST, wrist);
        BASES.put(Joint.LEFT_HIP, hip);
        BASES.put(Joint.RIGHT_HIP, hip);
        BASES.put(Joint.LEFT_KNEE, knee);
        BASES.put(Joint.RIGHT_KNEE, knee);
        BASES.put(Joint.LEFT_ANKLE, ankle);
        BASES.put(Joint.RIGHT_ANKLE, ankle);
    }

    private BvhJointNames() {
    }

    /** The limb joints a BVH rig must have. */
    static Iterable<Joint> limbJoints() {
        return BASES.keySet();
    }

    /** A joint name reduced to what the matching compares: no prefix, lower case, no separators. */
    static String normalize(String name) {
        String n = name.substring(name.lastIndexOf(':') + 1).toLowerCase(Locale.ROOT);
        return n.replaceAll("[\\s_.\\-]", "");
    }

    /** Whether a normalized name is the head. */
    static boolean isHead(String normalized) {
        return normalized.equals("head");
    }

    /**
     * The rank of a normalized name as {@code joint} (0 = best), or -1 when it is not that joint: the base name with a
     * side marker before ({@code left}, {@code l}) or after ({@code left}, {@code l}).
     */
    static int rank(String normalized, Joint joint) {
        List<String> bases = BASES.get(joint);
        if (bases == null) {
            return -1;
        }
        boolean left = joint.name().startsWith("LEFT");
        String word = left ? "left" : "right";
        String letter = left ? "l" : "r";
        for (int i = 0; i < bases.size(); i++) {
            String b = bases.get(i);
            if (normalized.equals(word + b) || normalized.equals(letter + b) || normalized.equals(b + word)
                    || normalized.equals(b + letter)) {
                return i;
            }
        }
        return -1;
    }
}

package org.kinora.effect.pose.internal.rig;

/**
 * The rigid parts the character's mesh is skinned to, each following one bone; {@link #layer} orders them front to back
 * where they overlap (arms in front of the torso, as in a figure facing the camera).
 */
public enum Part {
    TORSO(Bone.SPINE, 0, 0, 0),
    LEFT_THIGH(Bone.LEFT_THIGH, 1, 0, 0),
    RIGHT_THIGH(Bone.RIGHT_THIGH, 1, 0, 0),
    LEFT_SHIN(Bone.LEFT_SHIN, 2, 0, 0.3),
    RIGHT_SHIN(Bone.RIGHT_SHIN, 2, 0, 0.3),
    HEAD(Bone.HEAD, 3, 0, 0.9),
    LEFT_UPPER_ARM(Bone.LEFT_UPPER_ARM, 4, 0, 0),
    RIGHT_UPPER_ARM(Bone.RIGHT_UPPER_ARM, 4, 0, 0),
    LEFT_FOREARM(Bone.LEFT_FOREARM, 5, 0, 0.45),
    RIGHT_FOREARM(Bone.RIGHT_FOREARM, 5, 0, 0.45);

    final Bone bone;
    final int layer;
    /** How far the part reaches before its bone's start and beyond its end, in bone lengths (hands, feet, the skull). */
    final double before;
    final double beyond;

    Part(Bone bone, int layer, double before, double beyond) {
        this.bone = bone;
        this.layer = layer;
        this.before = before;
        this.beyond = beyond;
    }
}

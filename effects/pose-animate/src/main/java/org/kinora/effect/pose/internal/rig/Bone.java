package org.kinora.effect.pose.internal.rig;

import static org.kinora.core.pose.Joint.LEFT_ANKLE;
import static org.kinora.core.pose.Joint.LEFT_EAR;
import static org.kinora.core.pose.Joint.LEFT_ELBOW;
import static org.kinora.core.pose.Joint.LEFT_EYE;
import static org.kinora.core.pose.Joint.LEFT_HIP;
import static org.kinora.core.pose.Joint.LEFT_KNEE;
import static org.kinora.core.pose.Joint.LEFT_SHOULDER;
import static org.kinora.core.pose.Joint.LEFT_WRIST;
import static org.kinora.core.pose.Joint.NOSE;
import static org.kinora.core.pose.Joint.RIGHT_ANKLE;
import static org.kinora.core.pose.Joint.RIGHT_EAR;
import static org.kinora.core.pose.Joint.RIGHT_ELBOW;
import static org.kinora.core.pose.Joint.RIGHT_EYE;
import static org.kinora.core.pose.Joint.RIGHT_HIP;
import static org.kinora.core.pose.Joint.RIGHT_KNEE;
import static org.kinora.core.pose.Joint.RIGHT_SHOULDER;
import static org.kinora.core.pose.Joint.RIGHT_WRIST;

import org.kinora.core.pose.Joint;

/**
 * The bones of the COCO-17 skeleton as a tree rooted at the pelvis (the midpoint of the hips). A bone runs from its
 * parent joint to its child joint; {@code null} as a parent joint means the pelvis, and {@code NECK} bones start at the
 * midpoint of the shoulders. Listed parents first, so a pose is rebuilt in this order.
 */
public enum Bone {
    /** Pelvis to the left hip. */
    PELVIS_LEFT(null, LEFT_HIP, false),
    PELVIS_RIGHT(null, RIGHT_HIP, false),
    /** Pelvis to the neck (the midpoint of the shoulders). */
    SPINE(null, null, false),
    NECK_LEFT(null, LEFT_SHOULDER, true),
    NECK_RIGHT(null, RIGHT_SHOULDER, true),
    /** Neck to the nose. */
    HEAD(null, NOSE, true),
    LEFT_UPPER_ARM(LEFT_SHOULDER, LEFT_ELBOW, false),
    RIGHT_UPPER_ARM(RIGHT_SHOULDER, RIGHT_ELBOW, false),
    LEFT_FOREARM(LEFT_ELBOW, LEFT_WRIST, false),
    RIGHT_FOREARM(RIGHT_ELBOW, RIGHT_WRIST, false),
    LEFT_THIGH(LEFT_HIP, LEFT_KNEE, false),
    RIGHT_THIGH(RIGHT_HIP, RIGHT_KNEE, false),
    LEFT_SHIN(LEFT_KNEE, LEFT_ANKLE, false),
    RIGHT_SHIN(RIGHT_KNEE, RIGHT_ANKLE, false),
    LEFT_EYE_BONE(NOSE, LEFT_EYE, false),
    RIGHT_EYE_BONE(NOSE, RIGHT_EYE, false),
    LEFT_EAR_BONE(LEFT_EYE, LEFT_EAR, false),
    RIGHT_EAR_BONE(RIGHT_EYE, RIGHT_EAR, false);

    private final Joint from;
    private final Joint to;
    private final boolean fromNeck;

    Bone(Joint from, Joint to, boolean fromNeck) {
        this.from = from;
        this.to = to;
        this.fromNeck = fromNeck;
    }

    /** The joint the bone starts at, or {@code null} for the pelvis or the neck ({@link #fromNeck()}). */
    public Joint from() {
        return from;
    }

    /** The joint the bone ends at, or {@code null} for the neck ({@link #SPINE}). */
    public Joint to() {
        return to;
    }

    /** Whether the bone starts at the neck rather than at the pelvis (when {@link #from()} is {@code null}). */
    public boolean fromNeck() {
        return fromNeck;
    }
}

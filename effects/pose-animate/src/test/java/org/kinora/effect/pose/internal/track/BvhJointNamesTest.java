package org.kinora.effect.pose.internal.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kinora.core.pose.Joint;

class BvhJointNamesTest {

    private static int rank(String name, Joint j) {
        return BvhJointNames.rank(BvhJointNames.normalize(name), j);
    }

    @Test
    void rigConventionsMapToTheRightSide() {
        for (String n : new String[] {"LeftHand", "mixamorig:LeftHand", "lHand", "hand_l", "hand.L", "Left_Wrist", "LeftWrist",
            "Character1:LeftHand"}) {
            assertTrue(rank(n, Joint.LEFT_WRIST) >= 0, n);
            assertEquals(-1, rank(n, Joint.RIGHT_WRIST), n);
        }
        for (String n : new String[] {"RightLowerLeg", "calf_r", "rShin", "RightLeg", "RightKnee"}) {
            assertTrue(rank(n, Joint.RIGHT_KNEE) >= 0, n);
        }
        for (String n : new String[] {"LeftUpperArm", "upperarm_l", "lShldrBend", "LeftArm", "LeftShoulder"}) {
            assertTrue(rank(n, Joint.LEFT_SHOULDER) >= 0, n);
        }
    }

    @Test
    void clavicleNamesAndOtherBonesAreNotLimbJoints() {
        assertTrue(rank("LeftArm", Joint.LEFT_SHOULDER) < rank("LeftShoulder", Joint.LEFT_SHOULDER),
                "CMU's LeftShoulder is the clavicle: LeftArm wins");
        for (String n : new String[] {"LHipJoint", "LowerBack", "LeftHandIndex1", "LeftToeBase", "lCollar", "clavicle_l",
            "LeftForeArmRoll", "Hips", "HeadTop_End"}) {
            for (Joint j : BvhJointNames.limbJoints()) {
                assertEquals(-1, rank(n, j), n + " as " + j);
            }
        }
        assertTrue(BvhJointNames.isHead(BvhJointNames.normalize("mixamorig:Head")));
    }
}

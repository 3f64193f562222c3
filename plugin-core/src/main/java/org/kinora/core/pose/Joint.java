package org.kinora.core.pose;

import java.util.Locale;
import java.util.Optional;

/**
 * The 17 joints of the COCO keypoint skeleton, in COCO's (and MoveNet's) order; "left" is the person's own left.
 */
public enum Joint {
    NOSE, LEFT_EYE, RIGHT_EYE, LEFT_EAR, RIGHT_EAR, LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_ELBOW, RIGHT_ELBOW, LEFT_WRIST,
    RIGHT_WRIST, LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE, LEFT_ANKLE, RIGHT_ANKLE;

    /** Joints in a pose. */
    public static final int COUNT = 17;

    /** The name in track files and COCO's category: {@code left_shoulder}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The joint a track file names ({@code left_shoulder}, case and {@code -}/{@code _} ignored). */
    public static Optional<Joint> byKey(String key) {
        String k = key == null ? "" : key.trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (Joint j : values()) {
            if (j.name().equals(k)) {
                return Optional.of(j);
            }
        }
        return Optional.empty();
    }
}

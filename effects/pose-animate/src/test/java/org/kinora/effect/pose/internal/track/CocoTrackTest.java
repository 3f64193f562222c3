package org.kinora.effect.pose.internal.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.TrackOptions;

class CocoTrackTest {

    @TempDir
    Path dir;

    /** 51 keypoint values: joint j at (10 j + dx, 5 j), third value from {@code third}. */
    static String keypoints(double dx, java.util.function.IntFunction<String> third) {
        StringBuilder b = new StringBuilder("[");
        for (int j = 0; j < Joint.COUNT; j++) {
            b.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f,%.1f,", 10.0 * j + dx, 5.0 * j)).append(third.apply(j));
        }
        return b.append(']').toString();
    }

    @Test
    void annotationFileTakesImagesInIdOrderAndTheBestAnnotationOfEach() throws Exception {
        Path file = dir.resolve("walk.json");
        Files.writeString(file, "{\"annotations\": ["
                // image 7: two people; the second has more labelled keypoints
                + "{\"image_id\": 7, \"keypoints\": " + keypoints(1000, j -> j < 5 ? "2" : "0") + "},"
                + "{\"image_id\": 7, \"keypoints\": " + keypoints(0, j -> j == 9 ? "1" : "2") + "},"
                + "{\"image_id\": 3, \"num_keypoints\": 17, \"keypoints\": " + keypoints(50, j -> "2") + "}],"
                + "\"images\": [{\"id\": 7, \"file_name\": \"b.jpg\", \"width\": 640, \"height\": 480},"
                + "{\"id\": 3, \"file_name\": \"a.jpg\", \"width\": 640, \"height\": 480},"
                + "{\"id\": 9, \"file_name\": \"c.jpg\", \"width\": 640, \"height\": 480}],"
                + "\"categories\": [{\"id\": 1, \"name\": \"person\", \"keypoints\": [\"nose\",\"left_eye\",\"right_eye\","
                + "\"left_ear\",\"right_ear\",\"left_shoulder\",\"right_shoulder\",\"left_elbow\",\"right_elbow\","
                + "\"left_wrist\",\"right_wrist\",\"left_hip\",\"right_hip\",\"left_knee\",\"right_knee\",\"left_ankle\","
                + "\"right_ankle\"]}]}");
        PoseTrack t = TrackFiles.read(file, TrackOptions.defaults());
        assertEquals("coco17", t.format());
        assertEquals(3, t.size());
        assertEquals(640, t.width());
        assertEquals(480, t.height());
        Pose first = t.frames().get(0); // image 3
        assertEquals(50, first.x(Joint.NOSE), 1e-3);
        Pose second = t.frames().get(1); // image 7, the fuller annotation
        assertEquals(10 * Joint.LEFT_WRIST.ordinal(), second.x(Joint.LEFT_WRIST), 1e-3);
        assertEquals(5 * Joint.LEFT_WRIST.ordinal(), second.y(Joint.LEFT_WRIST), 1e-3);
        assertEquals(1, second.score(Joint.LEFT_WRIST), "v = 1 (labelled, hidden) counts as seen");
        assertEquals(10 * Joint.RIGHT_ANKLE.ordinal(), second.x(Joint.RIGHT_ANKLE), 1e-3);
        assertEquals(Pose.empty(), t.frames().get(2), "an image without annotation is an empty pose");
    }

    @Test
    void plainArrayTakesConfidencesAndVisibilityFlags() throws Exception {
        Path file = dir.resolve("detections.json");
        Files.writeString(file, "[{\"keypoints\": " + keypoints(0, j -> String.format(Locale.ROOT, "%.2f", 0.4 + j / 50.0)) + "},"
                + "{\"keypoints\": " + keypoints(3, j -> j == Joint.LEFT_KNEE.ordinal() ? "0" : "2") + ", \"score\": 0.9}]");
        PoseTrack t = TrackFiles.read(file, TrackOptions.defaults());
        assertEquals(2, t.size());
        assertEquals(0, t.width());
        Pose a = t.frames().get(0);
        assertEquals(0.4 + Joint.LEFT_WRIST.ordinal() / 50.0, a.score(Joint.LEFT_WRIST), 1e-6);
        assertEquals(10 * Joint.LEFT_WRIST.ordinal(), a.x(Joint.LEFT_WRIST), 1e-3);
        Pose b = t.frames().get(1);
        assertEquals(1, b.score(Joint.RIGHT_WRIST));
        assertEquals(0, b.score(Joint.LEFT_KNEE));
        assertEquals(3 + 10 * Joint.RIGHT_WRIST.ordinal(), b.x(Joint.RIGHT_WRIST), 1e-3);
    }

    @Test
    void wrongKeypointCountIsAnUnknownSkeleton() throws Exception {
        Path file = dir.resolve("wholebody.json");
        Files.writeString(file, "[{\"keypoints\": [1,2,2, 3,4,2]}]");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertEquals(file + ": frame 0: unknown skeleton: 6 keypoint values; COCO-17 has 51 (17 x, y, v)", e.getMessage());
    }

    @Test
    void badVisibilityAndConfidenceAreNamed() throws Exception {
        Path flags = dir.resolve("flags.json");
        Files.writeString(flags, "{\"images\": [{\"id\": 1}], \"annotations\": [{\"image_id\": 1, \"keypoints\": "
                + keypoints(0, j -> j == Joint.RIGHT_HIP.ordinal() ? "3" : "2") + "}]}");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(flags, TrackOptions.defaults()));
        assertEquals(flags + ": annotation 0, right_hip: visibility 3 is not 0, 1 or 2", e.getMessage());
        Path conf = dir.resolve("conf.json");
        Files.writeString(conf, "[{\"keypoints\": " + keypoints(0, j -> j == Joint.NOSE.ordinal() ? "-0.2" : "0.5") + "}]");
        e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(conf, TrackOptions.defaults()));
        assertEquals(conf + ": frame 0, nose: confidence -0.2 is not in [0, 1]", e.getMessage());
    }

    @Test
    void nonNumberCoordinateIsNamed() throws Exception {
        Path file = dir.resolve("text.json");
        Files.writeString(file, "[{\"keypoints\": " + keypoints(0, j -> "2").replaceFirst("^\\[0\\.0", "[\"zero\"") + "}]");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertEquals(file + ": frame 0, nose: x is not a number (\"zero\")", e.getMessage());
    }

    @Test
    void annotationOfAnUnknownImageIsAnError() throws Exception {
        Path file = dir.resolve("orphan.json");
        Files.writeString(file, "{\"images\": [{\"id\": 1}], \"annotations\": [{\"image_id\": 2, \"keypoints\": "
                + keypoints(0, j -> "2") + "}]}");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertTrue(e.getMessage().startsWith(file + ": an annotation refers to image_id 2"), e.getMessage());
    }
}

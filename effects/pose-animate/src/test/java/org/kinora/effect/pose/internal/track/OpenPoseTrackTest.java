package org.kinora.effect.pose.internal.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.TrackOptions;

class OpenPoseTrackTest {

    /** OpenPose's BODY_25 part names, in its output order. */
    static final List<String> BODY_25 = List.of("Nose", "Neck", "RShoulder", "RElbow", "RWrist", "LShoulder", "LElbow",
            "LWrist", "MidHip", "RHip", "RKnee", "RAnkle", "LHip", "LKnee", "LAnkle", "REye", "LEye", "REar", "LEar",
            "LBigToe", "LSmallToe", "LHeel", "RBigToe", "RSmallToe", "RHeel");
    /** OpenPose's COCO-18 part names. */
    static final List<String> COCO_18 = List.of("Nose", "Neck", "RShoulder", "RElbow", "RWrist", "LShoulder", "LElbow",
            "LWrist", "RHip", "RKnee", "RAnkle", "LHip", "LKnee", "LAnkle", "REye", "LEye", "REar", "LEar");
    /** The OpenPose part of each COCO-17 joint, by name. */
    static final List<String> COCO17_AS_OPENPOSE = List.of("Nose", "LEye", "REye", "LEar", "REar", "LShoulder",
            "RShoulder", "LElbow", "RElbow", "LWrist", "RWrist", "LHip", "RHip", "LKnee", "RKnee", "LAnkle", "RAnkle");

    @TempDir
    Path dir;

    /** A person whose part i is at (100 + 10 i + dx, 200 + i) with confidence 0.5 + i / 100. */
    static String person(List<String> parts, double dx, double confidence) {
        StringBuilder b = new StringBuilder("{\"person_id\":[-1],\"pose_keypoints_2d\":[");
        for (int i = 0; i < parts.size(); i++) {
            b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f,%.2f,%.2f", 100 + 10 * i + dx, 200.0 + i,
                    confidence * (0.5 + i / 100.0)));
        }
        return b.append("],\"face_keypoints_2d\":[],\"hand_left_keypoints_2d\":[]}").toString();
    }

    static String frame(String... people) {
        return "{\"version\":1.3,\"people\":[" + String.join(",", people) + "]}";
    }

    @Test
    void body25FolderMapsEveryJointByName() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("run"));
        for (int f = 0; f < 12; f++) {
            Files.writeString(folder.resolve(String.format("clip_%012d_keypoints.json", f)), frame(person(BODY_25, f, 1)));
        }
        Files.writeString(folder.resolve("notes.txt"), "not a frame");
        PoseTrack t = TrackFiles.read(folder, TrackOptions.defaults());
        assertEquals("openpose-body25", t.format());
        assertEquals(12, t.size());
        assertEquals(0, t.fps());
        assertEquals(0, t.width());
        for (int f = 0; f < 12; f++) {
            Pose p = t.frames().get(f);
            for (Joint j : Joint.values()) {
                int i = BODY_25.indexOf(COCO17_AS_OPENPOSE.get(j.ordinal()));
                assertEquals(100 + 10 * i + f, p.x(j), 1e-3, "frame " + f + " " + j);
                assertEquals(200 + i, p.y(j), 1e-3, j.toString());
                assertEquals(0.5 + i / 100.0, p.score(j), 1e-6, j.toString());
            }
        }
        // the person's left wrist (LWrist, part 7) is COCO's left_wrist
        assertEquals(100 + 70, t.frames().get(0).x(Joint.LEFT_WRIST), 1e-3);
    }

    @Test
    void folderFramesAreInNaturalNameOrder() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("plain"));
        for (int f : new int[] {1, 2, 10, 9}) {
            Files.writeString(folder.resolve("f" + f + ".json"), frame(person(BODY_25, f, 1)));
        }
        PoseTrack t = TrackFiles.read(folder, TrackOptions.defaults());
        float[] xs = new float[4];
        for (int i = 0; i < 4; i++) {
            xs[i] = t.frames().get(i).x(Joint.NOSE);
        }
        assertEquals(List.of(101f, 102f, 109f, 110f), List.of(xs[0], xs[1], xs[2], xs[3]));
    }

    @Test
    void coco18SequenceFileMapsEveryJointByName() throws Exception {
        Path file = dir.resolve("seq.json");
        Files.writeString(file, "[" + frame(person(COCO_18, 0, 1)) + "," + frame() + "," + frame(person(COCO_18, 5, 1)) + "]");
        PoseTrack t = TrackFiles.read(file, TrackOptions.defaults());
        assertEquals("openpose-coco18", t.format());
        assertEquals(3, t.size());
        assertEquals(Pose.empty(), t.frames().get(1), "a frame without people is an empty pose");
        for (Joint j : Joint.values()) {
            int i = COCO_18.indexOf(COCO17_AS_OPENPOSE.get(j.ordinal()));
            assertEquals(105 + 10 * i, t.frames().get(2).x(j), 1e-3, j.toString());
        }
    }

    @Test
    void framesObjectAndSingleFrameFileAreRead() throws Exception {
        Path wrapped = dir.resolve("wrapped.json");
        Files.writeString(wrapped, "{\"frames\":[" + frame(person(BODY_25, 0, 1)) + "," + frame(person(BODY_25, 1, 1)) + "]}");
        assertEquals(2, TrackFiles.read(wrapped, TrackOptions.defaults()).size());
        Path single = dir.resolve("one_keypoints.json");
        Files.writeString(single, frame(person(BODY_25, 0, 1)));
        PoseTrack t = TrackFiles.read(single, TrackOptions.defaults());
        assertEquals(1, t.size());
        assertEquals(100 + 70, t.frames().get(0).x(Joint.LEFT_WRIST), 1e-3);
    }

    @Test
    void followsTheMostConfidentPersonThenTheNearest() throws Exception {
        // frame 0: A (confident, x from 100) and B (less confident, x from 1000); then B gets more confident, but A stays
        // nearer to the previous choice, listed second
        List<String> frames = new ArrayList<>();
        frames.add(frame(person(BODY_25, 900, 0.5), person(BODY_25, 0, 1)));
        for (int f = 1; f < 5; f++) {
            frames.add(frame(person(BODY_25, 900, 1), person(BODY_25, 5 * f, 0.4)));
        }
        Path file = dir.resolve("two.json");
        Files.writeString(file, "[" + String.join(",", frames) + "]");
        PoseTrack t = TrackFiles.read(file, TrackOptions.defaults());
        for (int f = 0; f < 5; f++) {
            assertEquals(100 + 5 * f, t.frames().get(f).x(Joint.NOSE), 1e-3, "frame " + f);
        }
    }

    @Test
    void unknownSkeletonNamesTheFileFrameAndCount() throws Exception {
        Path file = dir.resolve("hands.json");
        StringBuilder kp = new StringBuilder();
        for (int i = 0; i < 63; i++) {
            kp.append(i == 0 ? "" : ",").append(i % 3 == 2 ? "0.5" : "10");
        }
        Files.writeString(file, "[" + frame(person(BODY_25, 0, 1)) + ",{\"people\":[{\"pose_keypoints_2d\":[" + kp + "]}]}]");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertEquals(file + ": frame 1: unknown skeleton: pose_keypoints_2d has 63 values; OpenPose BODY_25 has 75 "
                + "(25 x, y, c) and COCO-18 has 54", e.getMessage());
    }

    @Test
    void nanIsReportedByFrameAndJoint() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("nan"));
        Files.writeString(folder.resolve("a_000_keypoints.json"), frame(person(BODY_25, 0, 1)));
        // LWrist is part 7: values 21, 22, 23
        String bad = person(BODY_25, 0, 1).replace("170.00,207.00", "NaN,207.00");
        Files.writeString(folder.resolve("a_001_keypoints.json"), frame(bad));
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(folder, TrackOptions.defaults()));
        assertEquals(folder + ": frame 1 (a_001_keypoints.json), left_wrist: x is NaN, not a usable coordinate", e.getMessage());
    }

    @Test
    void confidenceAboveOneIsReported() throws Exception {
        Path file = dir.resolve("conf.json");
        Files.writeString(file, frame(person(BODY_25, 0, 1).replace("170.00,207.00,0.57", "170.00,207.00,1.57")));
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertEquals(file + ": frame 0, left_wrist: confidence 1.57 is not in [0, 1]", e.getMessage());
    }

    @Test
    void mixedSkeletonsAreAnError() throws Exception {
        Path file = dir.resolve("mixed.json");
        Files.writeString(file, "[" + frame(person(BODY_25, 0, 1)) + "," + frame(person(COCO_18, 0, 1)) + "]");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertTrue(e.getMessage().startsWith(file + ": frame 1: pose_keypoints_2d has 54 values where earlier frames had 75"),
                e.getMessage());
    }
}

package org.kinora.effect.pose.internal.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.TrackOptions;

/** The problems every format shares: each message starts with the file and names the problem. */
class TrackFileErrorsTest {

    @TempDir
    Path dir;

    private PoseTrackException fails(Path file) {
        return assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("gone.json");
        assertEquals(file + ": no such file", fails(file).getMessage());
    }

    @Test
    void notJson() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"people\": [\n  oops]}");
        PoseTrackException e = fails(file);
        assertTrue(e.getMessage().startsWith(file + ": not valid JSON (line 2, column "), e.getMessage());
    }

    @Test
    void neitherJsonNorBvh() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "frame 1: arm up\n");
        PoseTrackException e = fails(file);
        assertTrue(e.getMessage().startsWith(file + ": neither JSON nor BVH (a BVH file starts with HIERARCHY); accepted: "
                + "a Kinora track"), e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty.json"));
        assertTrue(fails(empty).getMessage().startsWith(empty + ": the file is empty; accepted: "), fails(empty).getMessage());
    }

    @Test
    void jsonOfAnUnknownKindListsTheAcceptedKinds() throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, "{\"volume\": 3, \"tracks\": [1, 2]}");
        PoseTrackException e = fails(file);
        assertTrue(e.getMessage().startsWith(file + ": not a pose track of a known kind; accepted: a Kinora track"), e.getMessage());
        assertTrue(e.getMessage().contains("OpenPose JSON") && e.getMessage().contains("COCO-17 keypoints")
                && e.getMessage().contains("BVH"), e.getMessage());
        Path other = dir.resolve("other.json");
        Files.writeString(other, "{\"format\": \"mediapipe\", \"frames\": []}");
        assertTrue(fails(other).getMessage().startsWith(other + ": unknown track format \"mediapipe\"; accepted: "),
                fails(other).getMessage());
    }

    @Test
    void zeroFramesInEveryFormat() throws Exception {
        Path kinora = dir.resolve("k.json");
        TrackFiles.write(KinoraTrackTest.track(1, 25), kinora);
        String text = Files.readString(kinora);
        Files.writeString(kinora, text.substring(0, text.indexOf("\"frames\"")) + "\"frames\": []}");
        assertEquals(kinora + ": the track has no frames", fails(kinora).getMessage());
        Path openPose = dir.resolve("o.json");
        Files.writeString(openPose, "[]");
        assertEquals(openPose + ": the track has no frames", fails(openPose).getMessage());
        Path coco = dir.resolve("c.json");
        Files.writeString(coco, "{\"images\": [], \"annotations\": []}");
        assertEquals(coco + ": the track has no frames", fails(coco).getMessage());
        Path folder = Files.createDirectory(dir.resolve("frames"));
        assertTrue(fails(folder).getMessage().startsWith(folder + ": the track has no frames"), fails(folder).getMessage());
    }

    @Test
    void jointsNeverSeenAreNamed() throws Exception {
        List<Pose> poses = new ArrayList<>();
        for (int f = 0; f < 4; f++) {
            float[] x = new float[Joint.COUNT];
            float[] s = new float[Joint.COUNT];
            for (Joint j : Joint.values()) {
                // the left wrist is seen in frame 2 only (enough); the right ankle and left hip never
                boolean seen = j != Joint.RIGHT_ANKLE && j != Joint.LEFT_HIP && (j != Joint.LEFT_WRIST || f == 2);
                x[j.ordinal()] = 10 * j.ordinal();
                s[j.ordinal()] = seen ? 0.8f : 0;
            }
            poses.add(new Pose(x, new float[Joint.COUNT], s));
        }
        Path file = dir.resolve("partial.json");
        TrackFiles.write(new PoseTrack("cam", "movenet", 25, 0, 0, poses), file);
        assertEquals(file + ": joints never seen in any of the 4 frames: left_hip, right_ankle (an animation needs both "
                + "shoulders, elbows, wrists, hips, knees and ankles)", fails(file).getMessage());
    }

    @Test
    void fileOver256MiBIsRefusedBeforeReading() throws Exception {
        Path file = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((256L << 20) + 1); // sparse: takes no disk
        }
        assertEquals(file + ": 268435457 bytes; track files of at most 268435456 bytes (256 MiB) are read",
                fails(file).getMessage());
    }

    @Test
    void folderWithTooManyFilesIsRefused() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("many"));
        for (int i = 0; i < 6; i++) {
            Files.writeString(folder.resolve("f" + i + "_keypoints.json"), "{}");
        }
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.readFolder(folder, 5));
        assertEquals(folder + ": more than 5 files in the folder", e.getMessage());
        assertEquals(200_000, TrackFiles.MAX_FOLDER_FILES);
    }

    @Test
    void tooManyFramesInAJsonFile() throws Exception {
        Path file = dir.resolve("long.json");
        Files.writeString(file, "[{\"people\": []}, {\"people\": []}, {\"people\": []}]");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> new JsonTrackReader(file, 2).read());
        assertEquals(file + ": more than 2 frames", e.getMessage());
    }
}

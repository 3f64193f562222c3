package org.kinora.effect.pose.internal.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.TrackOptions;

class KinoraTrackTest {

    @TempDir
    Path dir;

    /** A track whose values are already at the file's precision (positions to 0.01, scores to 0.001). */
    static PoseTrack track(int frames, double fps) {
        List<Pose> poses = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            float[] x = new float[Joint.COUNT];
            float[] y = new float[Joint.COUNT];
            float[] s = new float[Joint.COUNT];
            for (int j = 0; j < Joint.COUNT; j++) {
                boolean seen = (f + j) % 7 != 0 || j >= Joint.LEFT_SHOULDER.ordinal() && f == 0;
                x[j] = seen ? (float) (Math.round((100 + 13.37 * j + 2.25 * f) * 100) / 100.0) : 0;
                y[j] = seen ? (float) (Math.round((50.5 + 21.01 * j - f) * 100) / 100.0) : 0;
                s[j] = seen ? (float) (Math.round((0.3 + 0.041 * j) * 1000) / 1000.0) : 0;
            }
            poses.add(new Pose(x, y, s));
        }
        return new PoseTrack("clip \"a\".mp4", "movenet", fps, 1280, 720, poses);
    }

    @Test
    void writeThenReadGivesTheSameTrack() throws Exception {
        PoseTrack t = track(30, 29.97);
        Path file = dir.resolve("out").resolve("t.json");
        TrackFiles.write(t, file);
        PoseTrack back = TrackFiles.read(file, TrackOptions.defaults());
        assertEquals("kinora", back.format());
        assertEquals("t.json", back.source(), "a track read is named after its file");
        assertTrue(Files.readString(file).contains("\"source\": \"clip \\\"a\\\".mp4\""), "the source is recorded, quoted");
        assertEquals(29.97, back.fps(), 1e-9);
        assertEquals(1280, back.width());
        assertEquals(720, back.height());
        assertEquals(t.frames(), back.frames());
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left behind");
        }
        String text = Files.readString(file);
        assertTrue(text.contains("\"joints\": [\"nose\", \"left_eye\", \"right_eye\""), text.substring(0, 400));
        assertTrue(text.contains("\"format\": \"kinora-pose-track\""));
    }

    @Test
    void writeRoundsPositionsToTwoDecimalsAndScoresToThree() throws Exception {
        float[] x = new float[Joint.COUNT];
        float[] y = new float[Joint.COUNT];
        float[] s = new float[Joint.COUNT];
        x[0] = 12.3456f;
        y[0] = 7.891f;
        s[0] = 0.98765f;
        Path file = dir.resolve("r.json");
        TrackFiles.write(new PoseTrack("x", "kinora", 25, 0, 0, List.of(new Pose(x, y, s))), file);
        assertTrue(Files.readString(file).contains("[[12.35, 7.89, 0.988], [0, 0, 0]"), Files.readString(file));
    }

    @Test
    void writeOverAnExistingFileReplacesIt() throws Exception {
        Path file = dir.resolve("t.json");
        Files.writeString(file, "old");
        TrackFiles.write(track(3, 25), file);
        assertEquals(3, TrackFiles.read(file, TrackOptions.defaults()).size());
    }

    @Test
    void aTrackWithoutFrameRateIsNotWritten() {
        PoseTrack t = new PoseTrack("walk", "openpose-body25", 0, 0, 0, track(2, 25).frames());
        Path file = dir.resolve("t.json");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.write(t, file));
        assertTrue(e.getMessage().startsWith(file + ": a Kinora track needs a frame rate"), e.getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void jointsListGivesTheOrder() throws Exception {
        // two joints swapped in the list: their triples are swapped in the frame too
        Path file = dir.resolve("swapped.json");
        TrackFiles.write(track(2, 25), file);
        String text = Files.readString(file);
        PoseTrack straight = TrackFiles.read(file, TrackOptions.defaults());
        String swapped = text.replace("\"left_wrist\", \"right_wrist\"", "\"right_wrist\", \"left_wrist\"");
        Files.writeString(file, swapped);
        Pose p = TrackFiles.read(file, TrackOptions.defaults()).frames().get(0);
        Pose q = straight.frames().get(0);
        assertEquals(q.x(Joint.LEFT_WRIST), p.x(Joint.RIGHT_WRIST));
        assertEquals(q.x(Joint.RIGHT_WRIST), p.x(Joint.LEFT_WRIST));
    }

    @Test
    void jointsListAfterTheFramesGivesTheOrderToo() throws Exception {
        Path file = dir.resolve("late.json");
        TrackFiles.write(track(2, 25), file);
        PoseTrack straight = TrackFiles.read(file, TrackOptions.defaults());
        String text = Files.readString(file);
        int at = text.indexOf("  \"joints\"");
        String joints = text.substring(at, text.indexOf('\n', at) + 1);
        String moved = text.replace(joints, "").replace("\n  ]\n}", "\n  ],\n" + joints.replace("],", "]")
                .replace("\"left_hip\", \"right_hip\"", "\"right_hip\", \"left_hip\"") + "}");
        Files.writeString(file, moved);
        Pose p = TrackFiles.read(file, TrackOptions.defaults()).frames().get(1);
        Pose q = straight.frames().get(1);
        assertEquals(q.y(Joint.LEFT_HIP), p.y(Joint.RIGHT_HIP));
        assertEquals(q.y(Joint.RIGHT_HIP), p.y(Joint.LEFT_HIP));
        assertEquals(q.y(Joint.NOSE), p.y(Joint.NOSE));
    }

    @Test
    void fpsIsRequired() throws Exception {
        Path file = dir.resolve("nofps.json");
        TrackFiles.write(track(2, 25), file);
        Files.writeString(file, Files.readString(file).replace("\"fps\": 25,", "\"fps\": 0,"));
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertEquals(file + ": \"fps\" must be a frame rate above 0 (at most 1000), got 0", e.getMessage());
    }

    @Test
    void nanInAFrameIsReportedByFrameAndJoint() throws Exception {
        Path file = dir.resolve("nan.json");
        TrackFiles.write(track(3, 25), file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int frame2 = lines.indexOf(lines.stream().filter(l -> l.startsWith("    [[")).toList().get(2));
        // the sixth triple of frame 2 is left_shoulder's
        String line = lines.get(frame2);
        int at = 0;
        for (int i = 0; i < 5; i++) {
            at = line.indexOf("], [", at) + 4;
        }
        lines.set(frame2, line.substring(0, at) + "NaN" + line.substring(line.indexOf(',', at)));
        Files.write(file, lines);
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertEquals(file + ": frame 2, left_shoulder: x is NaN, not a usable coordinate", e.getMessage());
    }

    @Test
    void unknownSkeletonAndNewerVersionAreNamed() throws Exception {
        Path file = dir.resolve("v.json");
        TrackFiles.write(track(1, 25), file);
        String text = Files.readString(file);
        Files.writeString(file, text.replace("\"skeleton\": \"coco17\"", "\"skeleton\": \"body25\""));
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertEquals(file + ": unknown skeleton \"body25\"; Kinora tracks use \"coco17\"", e.getMessage());
        Files.writeString(file, text.replace("\"version\": 1", "\"version\": 2"));
        e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, TrackOptions.defaults()));
        assertEquals(file + ": Kinora track version 2; this Kinora reads version 1", e.getMessage());
    }
}

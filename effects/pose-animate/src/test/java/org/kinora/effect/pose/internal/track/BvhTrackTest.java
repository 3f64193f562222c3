package org.kinora.effect.pose.internal.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinora.effect.pose.internal.track.TestRig.rot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.pose.BvhView;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.pose.TrackOptions;

class BvhTrackTest {

    private static final double EPS = 1e-3;

    @TempDir
    Path dir;

    private static final TrackOptions FRONT = new TrackOptions(BvhView.FRONT, 0, 0);

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void restPoseLandsWhereTheOffsetsPutIt() throws Exception {
        PoseTrack t = TrackFiles.read(write("rest.bvh", new TestRig(TestRig.CMU).rest(0, 90, 0).text()), FRONT);
        assertEquals("bvh", t.format());
        assertEquals(30, t.fps(), 1e-9);
        assertEquals(1, t.size());
        Pose p = t.frames().get(0);
        // 1 px per cm; the margin is 5% of the 160 cm rest height; the lowest x is the right wrist at -75, the top the nose
        double dx = 8 + 75;
        double dy = 8 + 170;
        assertAt(p, Joint.LEFT_SHOULDER, 20 + dx, -140 + dy); // LeftArm, not CMU's LeftShoulder (the clavicle, at 5)
        assertAt(p, Joint.RIGHT_SHOULDER, -20 + dx, -140 + dy);
        assertAt(p, Joint.LEFT_ELBOW, 50 + dx, -140 + dy);
        assertAt(p, Joint.LEFT_WRIST, 75 + dx, -140 + dy);
        assertAt(p, Joint.LEFT_HIP, 10 + dx, -90 + dy);
        assertAt(p, Joint.LEFT_KNEE, 10 + dx, -50 + dy);
        assertAt(p, Joint.LEFT_ANKLE, 10 + dx, -10 + dy);
        assertAt(p, Joint.RIGHT_ANKLE, -10 + dx, -10 + dy);
        assertAt(p, Joint.NOSE, dx, -170 + dy);
        assertEquals(0, p.score(Joint.LEFT_EYE));
        assertEquals(0, p.score(Joint.RIGHT_EAR));
        assertEquals(1, p.score(Joint.LEFT_WRIST));
        assertEquals(150 + 16, t.width());
        assertEquals(160 + 16, t.height());
    }

    @Test
    void armRotatedNinetyDegreesPointsUpAndTheWristLandsWhereForwardKinematicsSays() throws Exception {
        // Zrotation +90 on the left upper arm turns its +x bones to +y: elbow 30 and wrist 55 above the shoulder
        String bvh = new TestRig(TestRig.CMU).frame(0, 90, 0, rot("lsh", new double[] {90, 0, 0})).text();
        Pose p = TrackFiles.read(write("up.bvh", bvh), FRONT).frames().get(0);
        assertAt(p, Joint.LEFT_ELBOW, p.x(Joint.LEFT_SHOULDER), p.y(Joint.LEFT_SHOULDER) - 30);
        assertAt(p, Joint.LEFT_WRIST, p.x(Joint.LEFT_SHOULDER), p.y(Joint.LEFT_SHOULDER) - 55);
        // the raised wrist is now the top: margin 8 above it
        assertEquals(8, p.y(Joint.LEFT_WRIST), EPS);
        assertAt(p, Joint.RIGHT_WRIST, p.x(Joint.RIGHT_SHOULDER) - 55, p.y(Joint.RIGHT_SHOULDER));
    }

    @Test
    void rotationChannelsApplyInTheOrderListed() throws Exception {
        // Z then X (M = Rz Rx): Rx leaves the +x bone alone, Rz(90) turns it up
        String zx = new TestRig(TestRig.CMU).leftArmChannels("Zrotation Xrotation")
                .frame(0, 90, 0, rot("lsh", new double[] {90, 90})).text();
        Pose p = TrackFiles.read(write("zx.bvh", zx), FRONT).frames().get(0);
        assertAt(p, Joint.LEFT_WRIST, p.x(Joint.LEFT_SHOULDER), p.y(Joint.LEFT_SHOULDER) - 55);
        // X then Z (M = Rx Rz): Rz(90) turns the bone to +y, then Rx(90) turns +y to +z: the arm points forward
        String xz = new TestRig(TestRig.CMU).leftArmChannels("Xrotation Zrotation")
                .frame(0, 90, 0, rot("lsh", new double[] {90, 90})).text();
        Path file = write("xz.bvh", xz);
        Pose front = TrackFiles.read(file, FRONT).frames().get(0);
        assertAt(front, Joint.LEFT_WRIST, front.x(Joint.LEFT_SHOULDER), front.y(Joint.LEFT_SHOULDER));
        // seen from the performer's left (+x), forward (+z) is on the picture's left
        Pose left = TrackFiles.read(file, new TrackOptions(BvhView.LEFT, 0, 0)).frames().get(0);
        assertAt(left, Joint.LEFT_WRIST, left.x(Joint.LEFT_SHOULDER) - 55, left.y(Joint.LEFT_SHOULDER));
        Pose right = TrackFiles.read(file, new TrackOptions(BvhView.RIGHT, 0, 0)).frames().get(0);
        assertAt(right, Joint.LEFT_WRIST, right.x(Joint.LEFT_SHOULDER) + 55, right.y(Joint.LEFT_SHOULDER));
    }

    @Test
    void theRaisedLeftArmIsOnThePicturesRightInTheFrontViewAndOnItsLeftFromBehind() throws Exception {
        Path file = write("raise.bvh", new TestRig(TestRig.CMU).frame(0, 90, 0, rot("lsh", new double[] {60, 0, 0})).text());
        Pose front = TrackFiles.read(file, FRONT).frames().get(0);
        assertTrue(front.y(Joint.LEFT_WRIST) < front.y(Joint.LEFT_SHOULDER), "left wrist raised: " + front);
        assertTrue(front.x(Joint.LEFT_WRIST) > front.x(Joint.RIGHT_WRIST) + 100, "front: left on the picture's right: " + front);
        Pose back = TrackFiles.read(file, new TrackOptions(BvhView.BACK, 0, 0)).frames().get(0);
        assertTrue(back.x(Joint.LEFT_WRIST) < back.x(Joint.RIGHT_WRIST) - 100, "back: left on the picture's left: " + back);
        // from the side the two shoulders coincide in x
        Pose side = TrackFiles.read(file, new TrackOptions(BvhView.LEFT, 0, 0)).frames().get(0);
        assertEquals(side.x(Joint.LEFT_SHOULDER), side.x(Joint.RIGHT_SHOULDER), EPS);
    }

    @Test
    void everyNamingSchemeMapsTheSameJoints() throws Exception {
        Pose cmu = null;
        for (Map<String, String> names : new Map[] {TestRig.CMU, TestRig.MIXAMO, TestRig.DAZ, TestRig.PLAIN}) {
            String bvh = new TestRig(names).frame(0, 90, 0, rot("lsh", new double[] {45, 0, 0}, "rel", new double[] {-30, 0, 0},
                    "lknee", new double[] {0, 20, 0})).text();
            Pose p = TrackFiles.read(write(names.get("lwr").replace(':', '_') + ".bvh", bvh), FRONT).frames().get(0);
            if (cmu == null) {
                cmu = p;
            } else {
                for (Joint j : Joint.values()) {
                    assertEquals(cmu.x(j), p.x(j), EPS, names.get("lwr") + " " + j);
                    assertEquals(cmu.y(j), p.y(j), EPS, names.get("lwr") + " " + j);
                    assertEquals(cmu.score(j), p.score(j), names.get("lwr") + " " + j);
                }
            }
        }
        assertEquals(cmu.x(Joint.RIGHT_SHOULDER) + 40, cmu.x(Joint.LEFT_SHOULDER), EPS);
    }

    @Test
    void heightOptionScalesTheRestPose() throws Exception {
        Path file = write("rest.bvh", new TestRig(TestRig.CMU).rest(0, 90, 0).text());
        PoseTrack t = TrackFiles.read(file, new TrackOptions(BvhView.FRONT, 0, 400));
        Pose p = t.frames().get(0);
        assertEquals(400, p.y(Joint.LEFT_ANKLE) - p.y(Joint.NOSE), EPS);
        assertEquals(20, p.y(Joint.NOSE), EPS); // margin: 5% of 400
        assertEquals(440, t.height());
        assertEquals((int) Math.ceil(150 * 2.5 + 40), t.width());
    }

    @Test
    void resamplesThirtyToTwentyFiveFramesPerSecond() throws Exception {
        // 31 frames, 1 s, the hips moving +3 cm a frame (90 cm/s); Frame Time as BVH exporters write it
        TestRig rig = new TestRig(TestRig.CMU).frameTimeText("0.0333333");
        for (int f = 0; f <= 30; f++) {
            rig.rest(3 * f, 90, 0);
        }
        Path file = write("move.bvh", rig.text());
        PoseTrack native30 = TrackFiles.read(file, FRONT);
        assertEquals(31, native30.size());
        assertEquals(30, native30.fps(), 1e-3);
        PoseTrack t = TrackFiles.read(file, new TrackOptions(BvhView.FRONT, 25, 0));
        assertEquals(26, t.size(), "floor(1 s x 25) + 1");
        assertEquals(25, t.fps());
        float x0 = t.frames().get(0).x(Joint.NOSE);
        for (int i = 0; i < t.size(); i++) {
            // frame i is at i/25 s, where the hips are at 90 i / 25
            assertEquals(x0 + 90.0 * i / 25, t.frames().get(i).x(Joint.NOSE), 0.01, "frame " + i);
        }
        // frame 1 lies between capture frames 1 and 2 (t = 0.2): interpolated, not copied
        assertEquals(native30.frames().get(1).x(Joint.NOSE) + 0.2f * 3, t.frames().get(1).x(Joint.NOSE), 0.01);
    }

    @Test
    void unsupportedChannelIsNamedWithTheJoint() throws Exception {
        Path file = write("scale.bvh", new TestRig(TestRig.CMU).leftArmChannels("Zrotation Xrotation Xscale")
                .rest(0, 90, 0).text().replace("CHANNELS 3 Zrotation Xrotation Xscale", "CHANNELS 3 Zrotation Xrotation Xscale"));
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, FRONT));
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("joint LeftArm: unsupported channel Xscale"), e.getMessage());
    }

    @Test
    void missingJointsAreListedWithTheNamesTheFileHas() throws Exception {
        String bvh = new TestRig(TestRig.CMU).rest(0, 90, 0).text().replace("LeftHand", "LeftPaw").replace("RightFoot", "RightHoof");
        Path file = write("odd.bvh", bvh);
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, FRONT));
        assertTrue(e.getMessage().startsWith(file + ": no joint found for left_wrist, right_ankle"), e.getMessage());
        assertTrue(e.getMessage().contains("the file's joints: Hips, LeftUpLeg"), e.getMessage());
        assertTrue(e.getMessage().contains("LeftPaw"), e.getMessage());
    }

    @Test
    void aFrameWithTooFewValuesIsNamed() throws Exception {
        String bvh = new TestRig(TestRig.CMU).rest(0, 90, 0).rest(0, 90, 0).text();
        int last = bvh.lastIndexOf(' ');
        Path file = write("short.bvh", bvh.substring(0, last) + "\n");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, FRONT));
        assertTrue(e.getMessage().startsWith(file + ": frame 1 (line "), e.getMessage());
        assertTrue(e.getMessage().contains("has 53 values; the hierarchy has 54 channels"), e.getMessage());
    }

    @Test
    void aValueThatIsNotANumberIsNamedByFrameJointAndChannel() throws Exception {
        String bvh = new TestRig(TestRig.CMU).rest(0, 90, 0).rest(0, 90, 0).text();
        String[] lines = bvh.split("\n");
        String[] v = lines[lines.length - 1].split(" ");
        v[6 + 3 * 9] = "NaN"; // LeftArm's Zrotation
        lines[lines.length - 1] = String.join(" ", v);
        Path file = write("nan.bvh", String.join("\n", lines) + "\n");
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(file, FRONT));
        assertTrue(e.getMessage().startsWith(file + ": frame 1 (line "), e.getMessage());
        assertTrue(e.getMessage().contains("joint LeftArm Zrotation: \"NaN\" is not a number"), e.getMessage());
    }

    @Test
    void zeroFramesAndABadFrameTimeAreErrors() throws Exception {
        Path none = write("none.bvh", new TestRig(TestRig.CMU).text());
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(none, FRONT));
        assertTrue(e.getMessage().startsWith(none + ": ") && e.getMessage().contains("no frames (Frames: 0)"), e.getMessage());
        Path still = write("still.bvh", new TestRig(TestRig.CMU).frameTime(0).rest(0, 90, 0).text());
        e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(still, FRONT));
        assertTrue(e.getMessage().startsWith(still + ": ") && e.getMessage().contains("Frame Time 0.0 is not a duration"), e.getMessage());
        Path lying = write("lying.bvh", new TestRig(TestRig.CMU).rest(0, 90, 0).text().replace("Frames: 1", "Frames: 3"));
        e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(lying, FRONT));
        assertTrue(e.getMessage().startsWith(lying + ": \"Frames: 3\" but the file has 1 frame lines"), e.getMessage());
    }

    @Test
    void boundsAreCheckedBeforeAllocating() throws Exception {
        Path many = write("many.bvh", new TestRig(TestRig.CMU).rest(0, 90, 0).text().replace("Frames: 1", "Frames: 5000000"));
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(many, FRONT));
        assertTrue(e.getMessage().contains("5000000 frames; at most 1000000"), e.getMessage());
        // many joints side by side
        StringBuilder wide = new StringBuilder("HIERARCHY\nROOT Hips\n{\nOFFSET 0 0 0\nCHANNELS 0\n");
        for (int i = 0; i < 1001; i++) {
            wide.append("End Site\n{\nOFFSET 0 1 0\n}\n");
        }
        Path joints = write("wide.bvh", wide.append("}\nMOTION\nFrames: 0\nFrame Time: 0.04\n").toString());
        e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(joints, FRONT));
        assertTrue(e.getMessage().startsWith(joints + ": ") && e.getMessage().contains("more than 1000 joints"), e.getMessage());
        // joints nested deeper than a skeleton: refused before the recursive reader can overflow the stack
        StringBuilder deep = new StringBuilder("HIERARCHY\nROOT Hips\n{\nOFFSET 0 0 0\nCHANNELS 0\n");
        for (int i = 0; i < 5000; i++) {
            deep.append("JOINT j").append(i).append("\n{\nOFFSET 0 1 0\nCHANNELS 0\n");
        }
        Path nested = write("deep.bvh", deep.toString());
        e = assertThrows(PoseTrackException.class, () -> TrackFiles.read(nested, FRONT));
        assertTrue(e.getMessage().startsWith(nested + ": ") && e.getMessage().contains("nested more than 100 deep"), e.getMessage());
    }

    static void assertAt(Pose p, Joint j, double x, double y) {
        assertEquals(x, p.x(j), EPS, j + " x in " + p);
        assertEquals(y, p.y(j), EPS, j + " y in " + p);
    }
}

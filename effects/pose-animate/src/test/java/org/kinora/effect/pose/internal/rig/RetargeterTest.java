package org.kinora.effect.pose.internal.rig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.samples.SampleFigure;

class RetargeterTest {

    final Pose character = new SampleFigure(320, 400, 160).rest();

    /** The character's pose scaled by {@code k} about the origin and moved by {@code (dx, dy)}. */
    static Pose scaled(Pose p, double k, double dx, double dy) {
        float[] x = p.xs();
        float[] y = p.ys();
        for (int j = 0; j < Joint.COUNT; j++) {
            x[j] = (float) (k * x[j] + dx);
            y[j] = (float) (k * y[j] + dy);
        }
        return new Pose(x, y, p.scores());
    }

    static double[] pelvis(Pose p) {
        return new double[] {(p.x(Joint.LEFT_HIP) + p.x(Joint.RIGHT_HIP)) / 2, (p.y(Joint.LEFT_HIP) + p.y(Joint.RIGHT_HIP)) / 2};
    }

    @Test
    void rootMotionIsScaledToTheCharactersHeightOrPinned() {
        // a driver twice the character's size walking 40 of its pixels right and 10 down
        Pose d0 = scaled(character, 2, 100, 50);
        Pose d1 = scaled(character, 2, 140, 60);
        PoseTrack track = new PoseTrack("t", "kinora", 25, 0, 0, List.of(d0, d1));
        Retargeter follow = new Retargeter(character, track, Retargeter.Root.FOLLOW);
        assertEquals(0.5, follow.scale(), 1e-6);
        List<Pose> f = follow.all();
        double[] p0 = pelvis(character);
        assertEquals(p0[0], pelvis(f.get(0))[0], 1e-3, "frame 0 stands where the character stands");
        assertEquals(p0[0] + 20, pelvis(f.get(1))[0], 1e-3);
        assertEquals(p0[1] + 5, pelvis(f.get(1))[1], 1e-3);
        // a driver of the character's own shape gives back the character's pose, bone by bone
        for (Joint j : Joint.values()) {
            assertEquals(character.x(j), f.get(0).x(j), 1e-3, j.key());
            assertEquals(character.y(j), f.get(0).y(j), 1e-3, j.key());
        }
        List<Pose> pinned = new Retargeter(character, track, Retargeter.Root.PIN).all();
        assertEquals(p0[0], pelvis(pinned.get(1))[0], 1e-3);
        assertEquals(p0[1], pelvis(pinned.get(1))[1], 1e-3);
    }

    @Test
    void foreshorteningCarriesOverAsARatioOfTheDriversFullLength() {
        List<Pose> frames = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            frames.add(character);
        }
        // in the last frame the driver's left forearm is seen at half its length (pointing at the camera)
        float[] x = character.xs();
        float[] y = character.ys();
        int e = Joint.LEFT_ELBOW.ordinal();
        int w = Joint.LEFT_WRIST.ordinal();
        x[w] = (x[e] + x[w]) / 2;
        y[w] = (y[e] + y[w]) / 2;
        frames.add(new Pose(x, y, character.scores()));
        List<Pose> out = new Retargeter(character, new PoseTrack("t", "kinora", 25, 0, 0, frames), Retargeter.Root.PIN).all();
        double full = RigRenderTest.len(character, Joint.LEFT_ELBOW, Joint.LEFT_WRIST);
        assertEquals(full, RigRenderTest.len(out.get(0), Joint.LEFT_ELBOW, Joint.LEFT_WRIST), 1e-3);
        assertEquals(full / 2, RigRenderTest.len(out.get(10), Joint.LEFT_ELBOW, Joint.LEFT_WRIST), 1e-3);
    }

    @Test
    void bonesTheDriverNeverShowsTurnWithTheirParent() {
        // a driver without a face (as BVH gives), leaning its head 90 degrees to its left
        float[] x = character.xs();
        float[] y = character.ys();
        float[] s = character.scores();
        for (Joint j : List.of(Joint.LEFT_EYE, Joint.RIGHT_EYE, Joint.LEFT_EAR, Joint.RIGHT_EAR)) {
            s[j.ordinal()] = 0;
        }
        double nx = (x[Joint.LEFT_SHOULDER.ordinal()] + x[Joint.RIGHT_SHOULDER.ordinal()]) / 2;
        double ny = (y[Joint.LEFT_SHOULDER.ordinal()] + y[Joint.RIGHT_SHOULDER.ordinal()]) / 2;
        double head = Math.hypot(x[0] - nx, y[0] - ny);
        x[0] = (float) (nx + head);
        y[0] = (float) ny;
        Pose driver = new Pose(x, y, s);
        Pose out = new Retargeter(character, new PoseTrack("t", "kinora", 25, 0, 0, List.of(driver)), Retargeter.Root.PIN).all().get(0);
        // the eyes sat above the nose; turned with the head by +90 degrees they sit right of it (picture's right)
        assertTrue(out.x(Joint.LEFT_EYE) > out.x(Joint.NOSE) + 5, "eye " + out.x(Joint.LEFT_EYE) + " nose " + out.x(Joint.NOSE));
        assertEquals(1f, out.score(Joint.LEFT_EYE));
    }

    @Test
    void aRestPoseWithoutHipsIsRefusedByName() {
        float[] s = character.scores();
        s[Joint.LEFT_HIP.ordinal()] = 0;
        Pose bad = new Pose(character.xs(), character.ys(), s);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Retargeter(bad, new PoseTrack("t", "kinora", 25, 0, 0, List.of(character)), Retargeter.Root.PIN));
        assertTrue(e.getMessage().contains("left_hip"), e.getMessage());
    }
}

package org.kinora.effect.motionbrush.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The brush files in samples/motion-brush read against their still and give the motion their README describes. */
class SampleBrushFilesTest {

    static final Path DIR = Path.of("../../samples/motion-brush");

    @Test
    void riverAndClouds() throws Exception {
        BufferedImage still = ImageIO.read(DIR.resolve("lake.png").toFile());
        int w = still.getWidth();
        int h = still.getHeight();
        BrushFile f = BrushFileReader.read(DIR.resolve("river-and-clouds.json"), w, h);
        assertEquals(3, f.brushes().size());
        MotionFields m = MotionFields.build(f.brushes(), new int[] {w, h}, w, h, 25, 100, true);
        int water = 300 * w + 320;
        assertEquals(-30 / 25f, m.flow()[2 * water], 1e-5f, "the water flows left at 30 px/s");
        int cloud = 60 * w + 100;
        assertEquals(Cues.FLOW_SPEED / 2 / 25, m.flow()[2 * cloud], 1e-5f, "the clouds drift slowly right");
        int sun = 40 * w + 580;
        assertEquals(1f, m.hold()[sun], "the sun is held still (a freeze mask)");
        assertEquals(Cues.FLOW_SPEED / 2 / 25, m.flow()[2 * sun], 1e-5f, "the clouds drift on behind it");
        assertEquals(0f, m.hold()[cloud], "the clouds are not held");
        int house = 210 * w + 280;
        assertEquals(0f, m.flow()[2 * house], "unpainted");
    }

    @Test
    void lakeCues() throws Exception {
        BrushFile f = BrushFileReader.read(DIR.resolve("lake-cues.json"), 640, 360);
        assertEquals(MotionKind.RIPPLE, f.brushes().get(0).motion().kind());
        assertTrue(f.brushes().get(0).region() instanceof Region.Mask);
        assertEquals(MotionKind.SWAY, f.brushes().get(1).motion().kind());
        assertEquals(MotionKind.SWAY, f.brushes().get(2).motion().kind());
        MotionFields m = MotionFields.build(f.brushes(), new int[] {640, 360}, 640, 360, 25, 100, true);
        int water = 4 * (320 * 640 + 100);
        assertTrue(Math.hypot(m.wave()[water], m.wave()[water + 1]) > 0.5, "the lake ripples");
        int flag = 4 * (165 * 640 + 140);
        assertEquals(Cues.SWAY_AMPLITUDE / 2, m.wave()[flag], 1e-4, "the flag sways gently, horizontally");
        // the clouds' path (160 px) is travelled once over the 4 s clip: 40 px/s = 1.6 px/frame
        assertEquals(1.6f, m.flow()[2 * (60 * 640 + 300)], 1e-5f);
    }
}

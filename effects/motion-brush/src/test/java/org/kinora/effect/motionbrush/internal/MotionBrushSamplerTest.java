package org.kinora.effect.motionbrush.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.KinoraException;
import org.kinora.core.brush.MotionSample;

class MotionBrushSamplerTest {

    @TempDir
    Path dir;

    private final MotionBrushSampler sampler = new MotionBrushSampler();

    private Path file(String json) throws Exception {
        return Files.writeString(dir.resolve("brushes.json"), json);
    }

    private static List<MotionSample.Arrow> of(MotionSample s, int brush) {
        return s.arrows().stream().filter(a -> a.brush() == brush).toList();
    }

    @Test
    void flowArrowsAreTheTravelInHalfASecondAndAStaticBrushOnTopHoldsItsPart() throws Exception {
        MotionSample s = sampler.sample(file("""
                {"brushes": [
                  {"region": {"polygon": [[0, 100], [640, 100], [640, 200], [0, 200]]}, "motion": {"kind": "flow", "direction": [-1, 0], "speed": 40}},
                  {"region": {"polygon": [[300, 100], [340, 100], [340, 200], [300, 200]]}, "static": true}
                ]}"""), 640, 360, 20, 4);
        List<MotionSample.Arrow> flow = of(s, 1);
        assertTrue(flow.size() > 50, "arrows over the band: " + flow.size());
        for (MotionSample.Arrow a : flow) {
            assertEquals(-20, a.dx(), 0.5, "40 px/s for half a second, to the left");
            assertEquals(0, a.dy(), 0.5);
            assertTrue(a.y() > 100 && a.y() < 200, "only inside the band: " + a);
            assertTrue(a.x() < 300 || a.x() > 340, "none under the held part: " + a);
            assertTrue(!a.oscillates());
        }
        assertEquals(List.of(), of(s, 2), "a static brush moves nothing");
        assertEquals(List.of("flow toward (-1.00, 0.00) at 40 px/s", "static: held still"), s.brushes());
    }

    @Test
    void rotationIsTangentialAndFasterAtTheRim() throws Exception {
        MotionSample s = sampler.sample(file("""
                {"brushes": [{"region": {"polygon": [[100, 100], [300, 100], [300, 300], [100, 300]]}, "motion": {"kind": "rotate", "speed": 60}}]}
                """), 400, 400, 10, 2);
        double cx = 200;
        double cy = 200;
        double nearLen = 0;
        double farLen = 0;
        for (MotionSample.Arrow a : s.arrows()) {
            double rx = a.x() - cx;
            double ry = a.y() - cy;
            double r = Math.hypot(rx, ry);
            double len = Math.hypot(a.dx(), a.dy());
            // perpendicular to the radius, clockwise on screen (y down): (rx, ry) -> (-ry, rx)
            assertEquals(0, (rx * a.dx() + ry * a.dy()) / (r * len), 0.05, "tangential at " + a);
            assertTrue(-ry * a.dx() + rx * a.dy() > 0, "clockwise at " + a);
            if (r < 30) {
                nearLen = Math.max(nearLen, len);
            } else if (r > 90) {
                farLen = Math.max(farLen, len);
            }
        }
        assertTrue(farLen > 3 * nearLen, "rim " + farLen + " against centre " + nearLen);
        assertTrue(s.brushes().get(0).startsWith("rotate clockwise at 60 px/s"), s.brushes().toString());
    }

    @Test
    void aCueIsReadAsTheEffectReadsItAndSwayOscillates() throws Exception {
        MotionSample s = sampler.sample(file("""
                {"brushes": [
                  {"region": {"polygon": [[0, 0], [200, 0], [200, 100], [0, 100]]}, "cue": "water flowing left"},
                  {"region": {"polygon": [[0, 150], [200, 150], [200, 200], [0, 200]]}, "motion": {"kind": "sway", "direction": [0, 1], "amplitude": 6}}
                ]}"""), 200, 200, 10, 3);
        assertTrue(s.brushes().get(0).startsWith("cue \"water flowing left\": flow toward (-1.00, 0.00)"), s.brushes().toString());
        assertTrue(of(s, 1).stream().allMatch(a -> a.dx() < 0 && Math.abs(a.dy()) < 1e-6 && !a.oscillates()));
        List<MotionSample.Arrow> sway = of(s, 2);
        assertTrue(!sway.isEmpty());
        for (MotionSample.Arrow a : sway) {
            assertTrue(a.oscillates());
            assertEquals(0, a.dx(), 1e-6);
            assertEquals(6, a.dy(), 0.1, "the swing either side");
        }
    }

    @Test
    void aBadFileIsRefusedNamingTheBrushAndTheGridIsBounded() throws Exception {
        KinoraException e = assertThrows(KinoraException.class, () -> sampler.sample(file("""
                {"brushes": [{"region": {"polygon": [[0, 0], [10, 0], [10, 10]]}, "cue": "the moon singing"}]}
                """), 100, 100, 10, 2));
        assertTrue(e.getMessage().contains("brush 1"), e.getMessage());
        assertThrows(KinoraException.class, () -> sampler.sample(dir.resolve("brushes.json"), 0, 100, 10, 2));
        MotionSample fine = sampler.sample(file("""
                {"brushes": [{"region": {"polygon": [[0, 0], [4000, 0], [4000, 4000], [0, 4000]]}, "motion": {"kind": "zoom", "rate": 0.2}}]}
                """), 4000, 4000, 1, 2);
        assertTrue(fine.arrows().size() <= org.kinora.core.brush.MotionBrushes.MAX_ARROWS && fine.arrows().size() > 1000,
                "a 1 px grid on a 4000 px still is made coarser: " + fine.arrows().size());
        assertEquals("zoom in 20 % a second", fine.brushes().get(0));
    }
}

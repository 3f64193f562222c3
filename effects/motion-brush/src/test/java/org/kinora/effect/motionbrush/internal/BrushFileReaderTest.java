package org.kinora.effect.motionbrush.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The brush file format: what it accepts and the error for each way it can be wrong. */
class BrushFileReaderTest {

    static final String SQUARE = "{\"polygon\": [[10,10],[50,10],[50,40],[10,40]]}";

    @TempDir
    Path dir;

    Path write(String json) throws Exception {
        Path f = dir.resolve("brushes.json");
        Files.writeString(f, json);
        return f;
    }

    BrushFile read(String json) throws Exception {
        return BrushFileReader.read(write(json), 100, 60);
    }

    /** The error for {@code json} names the file, the brush and the field and says {@code why}. */
    void fails(String json, int brush, String field, String why) throws Exception {
        BrushFileException e = assertThrows(BrushFileException.class, () -> read(json));
        String m = e.getMessage();
        assertTrue(m.contains("brushes.json"), m);
        if (brush > 0) {
            assertTrue(m.contains("brush " + brush + ",") || m.contains("brush " + brush + ":"), m);
        }
        if (field != null) {
            assertTrue(m.contains("field '" + field + "'"), m);
        }
        assertTrue(m.contains(why), m);
    }

    static String brushes(String... b) {
        return "{\"brushes\": [" + String.join(",", b) + "]}";
    }

    @Test
    void readsAllThreeWaysToGiveABrush() throws Exception {
        BrushFile f = read(brushes(
                "{\"region\": " + SQUARE + ", \"motion\": {\"kind\": \"flow\", \"direction\": [-3, 4], \"speed\": 25}}",
                "{\"region\": {\"polygon\": [[0,0],[100,0],[100,20]], \"feather\": 4}, \"cue\": \"clouds drifting slowly to the right\"}",
                "{\"region\": " + SQUARE + ", \"static\": true}"));
        assertEquals(3, f.brushes().size());
        Brush a = f.brushes().get(0);
        assertEquals(1, a.index());
        assertEquals(MotionKind.FLOW, a.motion().kind());
        assertEquals(-0.6, a.motion().dx(), 1e-12);
        assertEquals(0.8, a.motion().dy(), 1e-12);
        assertEquals(25, a.motion().speed());
        Region.Polygon p = (Region.Polygon) a.region();
        assertEquals(4, p.xs().length);
        assertEquals(50, p.xs()[1]);
        Brush b = f.brushes().get(1);
        assertEquals(4, b.region().feather());
        assertEquals("clouds drifting slowly to the right", b.cue());
        assertEquals(Cues.FLOW_SPEED / 2, b.motion().speed());
        assertEquals(1, b.motion().dx());
        assertTrue(f.brushes().get(2).isStatic());
        assertNull(f.brushes().get(2).motion());
    }

    @Test
    void aPathGivesDirectionAndSpeedOverTheClip() throws Exception {
        Motion m = read(brushes("{\"region\": " + SQUARE + ", \"motion\": {\"path\": [[10,10],[40,10],[40,50]]}}"))
                .brushes().get(0).motion();
        // overall direction first -> last point: (30, 40) / 50
        assertEquals(0.6, m.dx(), 1e-12);
        assertEquals(0.8, m.dy(), 1e-12);
        assertEquals(70, m.pathLength(), 1e-12);
        assertEquals(35, m.speedOver(2.0), 1e-12, "the path's length once over a 2 s clip");
    }

    @Test
    void kindsTakeTheirOwnFieldsAndDefaults() throws Exception {
        BrushFile f = read(brushes(
                "{\"region\": " + SQUARE + ", \"motion\": {\"kind\": \"sway\", \"direction\": [1,0], \"amplitude\": 3}}",
                "{\"region\": " + SQUARE + ", \"motion\": {\"kind\": \"ripple\"}}",
                "{\"region\": " + SQUARE + ", \"motion\": {\"kind\": \"rotate\", \"speed\": 10, \"clockwise\": false}}",
                "{\"region\": " + SQUARE + ", \"motion\": {\"kind\": \"zoom\", \"rate\": -0.2}}"));
        Motion sway = f.brushes().get(0).motion();
        assertEquals(3, sway.amplitudeOver(1));
        assertEquals(Motion.SWAY_PERIOD, sway.period());
        Motion ripple = f.brushes().get(1).motion();
        assertEquals(Motion.RIPPLE_SPEED, ripple.speed());
        assertEquals(Motion.RIPPLE_AMPLITUDE, ripple.amplitude());
        assertEquals(Motion.RIPPLE_PERIOD, ripple.period());
        assertFalse(f.brushes().get(2).motion().clockwise());
        assertEquals(-0.2, f.brushes().get(3).motion().rate());
    }

    @Test
    void fileLevelErrors() throws Exception {
        fails("{\"brushes\": [", 0, null, "not valid JSON");
        fails("[]", 0, null, "JSON object");
        fails("{\"brushes\": [], \"extra\": 1}", 0, "extra", "not a known field");
        fails("{\"brushes\": {}}", 0, "brushes", "must be an array");
        fails("{\"brushes\": []}", 0, "brushes", "is empty");
        String nine = brushes(java.util.Collections.nCopies(9, "{\"region\": " + SQUARE + ", \"static\": true}").toArray(String[]::new));
        fails(nine, 0, "brushes", "has 9 brushes; at most 8");
        fails("{\"brushes\": [], \"brushes\": []}", 0, null, "Duplicate field");
        BrushFileException e = assertThrows(BrushFileException.class, () -> BrushFileReader.read(dir.resolve("none.json"), 100, 60));
        assertTrue(e.getMessage().contains("none.json") && e.getMessage().contains("not found"), e.getMessage());
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[(int) BrushFileReader.MAX_FILE_BYTES + 1]);
        e = assertThrows(BrushFileException.class, () -> BrushFileReader.read(big, 100, 60));
        assertTrue(e.getMessage().contains("big.json") && e.getMessage().contains("at most"), e.getMessage());
    }

    @Test
    void brushAndRegionErrors() throws Exception {
        String ok = "{\"region\": " + SQUARE + ", \"static\": true}";
        fails(brushes(ok, "{\"region\": " + SQUARE + ", \"static\": true, \"colour\": 1}"), 2, "colour", "not a known field");
        fails(brushes(ok, "{\"static\": true}"), 2, "region", "is missing");
        fails(brushes(ok, "{\"region\": " + SQUARE + "}"), 2, null, "needs a 'motion', a 'cue'");
        fails(brushes(ok, "{\"region\": " + SQUARE + ", \"static\": true, \"motion\": {\"direction\": [1,0], \"speed\": 1}}"), 2, null,
                "has both 'motion' and 'static': true");
        fails(brushes("{\"region\": " + SQUARE + ", \"cue\": \"water\", \"motion\": {\"direction\": [1,0], \"speed\": 1}}"), 1, null,
                "has both 'motion' and 'cue'");
        fails(brushes(ok, "{\"region\": " + SQUARE + ", \"static\": \"yes\"}"), 2, "static", "must be true or false");
        fails(brushes("{\"region\": {\"polygon\": [[1,1],[5,5]]}, \"static\": true}"), 1, "region.polygon", "has 2 points; at least 3");
        fails(brushes("{\"region\": {\"polygon\": [[1,1],[5,5],[101,5]]}, \"static\": true}"), 1, "region.polygon[3]",
                "(101, 5) is outside the still (0..100 x 0..60)");
        fails(brushes("{\"region\": {\"polygon\": [[1,1],[5,5],[5,-1]]}, \"static\": true}"), 1, "region.polygon[3]", "outside the still");
        fails(brushes("{\"region\": {\"polygon\": [[1,1],[5,5],[5,\"x\"]]}, \"static\": true}"), 1, "region.polygon[3]",
                "must be a point [x, y] of two numbers");
        fails(brushes("{\"region\": {\"polygon\": [[1,1],[5,5],[5,9]], \"feather\": -1}, \"static\": true}"), 1, "region.feather",
                "-1 is out of range 0..500");
        fails(brushes("{\"region\": {\"polygon\": [[1,1],[5,5],[5,9]], \"feather\": \"soft\"}, \"static\": true}"), 1, "region.feather",
                "must be a number");
        fails(brushes("{\"region\": {\"polygon\": [[1,1],[5,5],[5,9]], \"mask\": \"m.png\"}, \"static\": true}"), 1, "region",
                "has both 'polygon' and 'mask'");
        fails(brushes("{\"region\": {}, \"static\": true}"), 1, "region", "needs a 'polygon' or a 'mask'");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i <= BrushFileReader.MAX_POINTS; i++) {
            many.append(i == 0 ? "" : ",").append("[1,1]");
        }
        fails(brushes("{\"region\": {\"polygon\": " + many + "]}, \"static\": true}"), 1, "region.polygon", "at most 10000");
    }

    @Test
    void motionErrors() throws Exception {
        String r = "{\"region\": " + SQUARE + ", \"motion\": ";
        fails(brushes(r + "{\"kind\": \"wobble\", \"direction\": [1,0], \"speed\": 1}}"), 1, "motion.kind",
                "\"wobble\" is not a kind of motion; kinds: flow, sway, ripple, rotate, zoom");
        fails(brushes(r + "{\"direction\": [1,0], \"speed\": -2}}"), 1, "motion.speed", "-2 is out of range");
        fails(brushes(r + "{\"direction\": [1,0], \"speed\": \"fast\"}}"), 1, "motion.speed", "must be a number, not \"fast\"");
        fails(brushes(r + "{\"direction\": [0,0], \"speed\": 2}}"), 1, "motion.direction", "zero length");
        fails(brushes(r + "{\"direction\": [1], \"speed\": 2}}"), 1, "motion.direction", "must be [dx, dy]");
        fails(brushes(r + "{\"direction\": [1,0]}}"), 1, "motion.speed", "is missing");
        fails(brushes(r + "{\"speed\": 3}}"), 1, "motion.direction", "is missing");
        fails(brushes(r + "{\"direction\": [1,0], \"speed\": 2, \"period\": 1}}"), 1, "motion.period", "does not apply to kind flow");
        fails(brushes(r + "{\"direction\": [1,0], \"speed\": 2, \"velocity\": 1}}"), 1, "motion.velocity", "is not a motion field");
        fails(brushes(r + "{\"path\": [[1,1],[4,4]], \"direction\": [1,0]}}"), 1, "motion.path", "both given");
        fails(brushes(r + "{\"path\": [[1,1],[4,4]], \"speed\": 3}}"), 1, "motion.speed", "the path's length sets the speed");
        fails(brushes(r + "{\"path\": [[1,1]]}}"), 1, "motion.path", "at least 2");
        fails(brushes(r + "{\"path\": [[1,1],[400,1]]}}"), 1, "motion.path[2]", "outside the still");
        fails(brushes(r + "{\"path\": [[1,1],[9,9],[1,1]]}}"), 1, "motion.path", "ends where it starts");
        fails(brushes(r + "{\"kind\": \"sway\", \"direction\": [1,0]}}"), 1, "motion.amplitude", "is missing");
        fails(brushes(r + "{\"kind\": \"sway\", \"direction\": [1,0], \"amplitude\": 2, \"speed\": 3}}"), 1, "motion.amplitude",
                "both given");
        fails(brushes(r + "{\"kind\": \"sway\", \"direction\": [1,0], \"amplitude\": 2, \"period\": 0}}"), 1, "motion.period",
                "more than 0");
        fails(brushes(r + "{\"kind\": \"rotate\", \"direction\": [1,0], \"speed\": 3}}"), 1, "motion.direction",
                "does not apply to kind rotate");
        fails(brushes(r + "{\"kind\": \"rotate\"}}"), 1, "motion.speed", "is missing");
        fails(brushes(r + "{\"kind\": \"zoom\"}}"), 1, "motion.rate", "is missing");
        fails(brushes(r + "{\"kind\": \"zoom\", \"rate\": 0.1, \"speed\": 3}}"), 1, "motion.rate", "both given");
        fails(brushes(r + "{\"kind\": \"zoom\", \"rate\": 11}}"), 1, "motion.rate", "out of range");
        fails(brushes("{\"region\": " + SQUARE + ", \"cue\": \"a nice day\"}"), 1, "cue", "names no motion; understood words: subjects water");
        fails(brushes("{\"region\": " + SQUARE + ", \"cue\": 3}"), 1, "cue", "must be text");
    }

    @Test
    void maskImages() throws Exception {
        BufferedImage img = new BufferedImage(100, 60, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(7, 5, 0, 255);
        img.getRaster().setSample(8, 5, 0, 51);
        Files.createDirectories(dir.resolve("masks"));
        ImageIO.write(img, "png", dir.resolve("masks/water.png").toFile());
        Region.Mask m = (Region.Mask) read(brushes("{\"region\": {\"mask\": \"masks/water.png\", \"feather\": 2}, \"cue\": \"water\"}"))
                .brushes().get(0).region();
        assertEquals(dir.resolve("masks/water.png").toAbsolutePath(), m.file());
        assertEquals(1f, m.alpha()[5 * 100 + 7]);
        assertEquals(0.2f, m.alpha()[5 * 100 + 8], 1e-6);
        assertEquals(0f, m.alpha()[0]);
        assertEquals(2, m.feather());

        BufferedImage color = new BufferedImage(100, 60, BufferedImage.TYPE_INT_ARGB);
        color.setRGB(3, 3, 0xFFFFFFFF);
        color.setRGB(4, 3, 0x80FFFFFF);
        ImageIO.write(color, "png", dir.resolve("color.png").toFile());
        m = (Region.Mask) read(brushes("{\"region\": {\"mask\": \"color.png\"}, \"cue\": \"water\"}")).brushes().get(0).region();
        assertEquals(1f, m.alpha()[3 * 100 + 3], 1e-6);
        assertEquals(128 / 255f, m.alpha()[3 * 100 + 4], 1e-3, "alpha counts");

        String ok = "{\"region\": " + SQUARE + ", \"static\": true}";
        fails(brushes(ok, "{\"region\": {\"mask\": \"missing.png\"}, \"static\": true}"), 2, "region.mask", "missing.png not found");
        Files.writeString(dir.resolve("notimage.png"), "hello");
        fails(brushes(ok, "{\"region\": {\"mask\": \"notimage.png\"}, \"static\": true}"), 2, "region.mask", "not an image ImageIO can read");
        ImageIO.write(new BufferedImage(50, 60, BufferedImage.TYPE_BYTE_GRAY), "png", dir.resolve("small.png").toFile());
        fails(brushes(ok, "{\"region\": {\"mask\": \"small.png\"}, \"static\": true}"), 2, "region.mask",
                "is 50x60; it must be the still's size, 100x60");
        fails(brushes(ok, "{\"region\": {\"mask\": 7}, \"static\": true}"), 2, "region.mask", "must be the path of a grayscale image");
    }
}

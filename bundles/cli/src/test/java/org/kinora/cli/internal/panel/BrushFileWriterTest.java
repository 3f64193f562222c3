package org.kinora.cli.internal.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The painter's brushes become the brush file format, and bad input is refused by brush and field with nothing written. */
class BrushFileWriterTest {

    @TempDir
    Path dir;

    private static String mask(int w, int h, boolean painted) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        if (painted) {
            Graphics2D g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(2, 2, 5, 3);
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    private static JsonNode json(String s) throws Exception {
        return PanelJson.MAPPER.readTree(s);
    }

    @Test
    void writesMasksAndMotionsInTheBrushFileFormat() throws Exception {
        String m = mask(16, 9, true);
        Path file = BrushFileWriter.write(dir, "river", json("[{\"mask\": \"" + m + "\", \"feather\": 3, \"motion\": {\"kind\": \"flow\","
                + " \"direction\": [-2, 0], \"speed\": 30}}, {\"mask\": \"" + m + "\", \"cue\": \"clouds drifting right\"},"
                + " {\"mask\": \"" + m + "\", \"static\": true}]"), 16, 9);
        assertEquals(dir.resolve("kinora-brushes/river.json"), file);
        JsonNode f = PanelJson.MAPPER.readTree(file.toFile());
        assertEquals("river-1.png", f.at("/brushes/0/region/mask").asText());
        assertEquals(3.0, f.at("/brushes/0/region/feather").asDouble());
        assertEquals("flow", f.at("/brushes/0/motion/kind").asText());
        assertEquals(-2.0, f.at("/brushes/0/motion/direction/0").asDouble());
        assertEquals(30.0, f.at("/brushes/0/motion/speed").asDouble());
        assertEquals("clouds drifting right", f.at("/brushes/1/cue").asText());
        assertTrue(f.at("/brushes/2/static").asBoolean());
        BufferedImage written = ImageIO.read(dir.resolve("kinora-brushes/river-2.png").toFile());
        assertEquals(16, written.getWidth());
        assertEquals(9, written.getHeight());
    }

    @Test
    void badBrushesAreNamedAndNothingIsWritten() throws Exception {
        String m = mask(16, 9, true);
        String[][] cases = {
            {"[{\"mask\": \"" + mask(8, 9, true) + "\", \"static\": true}]", "brush 1: the mask is 8x9; the still is 16x9"},
            {"[{\"mask\": \"" + m + "\", \"static\": true}, {\"mask\": \"" + mask(16, 9, false) + "\", \"static\": true}]",
                "brush 2: nothing is painted"},
            {"[{\"mask\": \"" + m + "\", \"static\": true, \"cue\": \"water\"}]", "brush 1: give exactly one of"},
            {"[{\"mask\": \"" + m + "\", \"motion\": {\"kind\": \"wobble\"}}]", "brush 1: motion kind 'wobble'"},
            {"[{\"mask\": \"" + m + "\", \"motion\": {\"kind\": \"flow\", \"speed\": \"fast\"}}]", "brush 1: speed must be a number"},
            {"[{\"mask\": \"" + m + "\", \"motion\": {\"kind\": \"flow\", \"path\": [[0, 0]]}}]", "brush 1: unknown motion field 'path'"},
            {"[{\"mask\": \"not a picture\", \"static\": true}]", "brush 1: the mask must be a PNG"},
            {"[]", "paint 1 to 8 brushes"},
        };
        for (String[] c : cases) {
            PanelApi.ApiError e = assertThrows(PanelApi.ApiError.class, () -> BrushFileWriter.write(dir, "b", json(c[0]), 16, 9));
            assertTrue(e.getMessage().startsWith(c[1]), c[1] + " / " + e.getMessage());
        }
        PanelApi.ApiError name = assertThrows(PanelApi.ApiError.class,
                () -> BrushFileWriter.write(dir, "../escape", json("[{\"mask\": \"" + m + "\", \"static\": true}]"), 16, 9));
        assertTrue(name.getMessage().contains("brush file name '../escape'"), name.getMessage());
        assertFalse(Files.exists(dir.resolve("kinora-brushes")), "nothing was written");
    }
}

package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinora preview} through the real bundles: the PNG shows what the full render shows at that frame, the project
 * is not touched, and bad input is refused by name.
 */
class PreviewTest {

    @TempDir
    Path dir;

    private static byte[] rgb(Path png) throws Exception {
        BufferedImage img = ImageIO.read(png.toFile());
        byte[] out = new byte[img.getWidth() * img.getHeight() * 3];
        int i = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                out[i++] = (byte) (p >> 16);
                out[i++] = (byte) (p >> 8);
                out[i++] = (byte) p;
            }
        }
        return out;
    }

    @Test
    void aPreviewFrameIsTheFullRendersFrameAndChangesNothing() throws Exception {
        SharedRuntime.Result demo = SharedRuntime.cli("demo", "--dir", dir.toString(), "--width", "320", "--height", "180",
                "--seconds", "1", "--no-render");
        assertEquals(0, demo.exit(), demo.all());
        Path project = dir.resolve("demo.mlt");
        String before = Files.readString(project);

        Path png = dir.resolve("look.png");
        SharedRuntime.Result p = SharedRuntime.cli("preview", project.toString(), "--clip", "V1:2", "--effect", "style-transfer",
                "--set", "style=pencil", "--at", "0,12f", "--out", png.toString());
        assertEquals(0, p.exit(), p.all());
        Path first = dir.resolve("look-0.png");
        Path later = dir.resolve("look-12.png");
        assertTrue(Files.isRegularFile(first) && Files.isRegularFile(later), p.all());
        BufferedImage img = ImageIO.read(later.toFile());
        assertEquals(320, img.getWidth());
        assertEquals(180, img.getHeight());
        assertEquals(before, Files.readString(project), "a preview does not touch the project");

        // the full render of the same clip and parameters, lossless; without temporal blending, which a single frame
        // cannot have (it has no previous frame)
        Path out = dir.resolve("full.mlt");
        SharedRuntime.Result apply = SharedRuntime.cli("apply", project.toString(), "--clip", "V1:2", "--effect", "style-transfer",
                "--set", "style=pencil", "--set", "temporal=false", "--codec", "ffv1", "--out", out.toString());
        assertEquals(0, apply.exit(), apply.all());
        Path media;
        try (Stream<Path> s = Files.list(dir.resolve("kinora-media"))) {
            media = s.filter(f -> f.getFileName().toString().contains("pencil") || f.getFileName().toString().endsWith(".mkv"))
                    .filter(f -> f.getFileName().toString().endsWith(".mkv")).findFirst().orElseThrow();
        }
        // ffv1 keeps the clip's 4:2:0 chroma, so a lossless render still differs from the RGB preview by chroma rounding
        double d0 = Tools.meanDiff(Tools.rgbFrame(media, 0), rgb(first));
        double d12 = Tools.meanDiff(Tools.rgbFrame(media, 12), rgb(later));
        assertTrue(d0 < 2.5 && d12 < 2.5, "preview vs full render: frame 0 " + d0 + ", frame 12 " + d12);
        double other = Tools.meanDiff(Tools.rgbFrame(media, 12), rgb(first));
        assertTrue(other > d12 + 1, "the frames differ from each other (the clip moves), so frame 12 is really frame 12: "
                + other + " vs " + d12);
    }

    @Test
    void badInputIsRefusedByNameAndWritesNothing() throws Exception {
        SharedRuntime.Result demo = SharedRuntime.cli("demo", "--dir", dir.toString(), "--width", "160", "--height", "90",
                "--seconds", "1", "--no-render");
        assertEquals(0, demo.exit(), demo.all());
        Path project = dir.resolve("demo.mlt");
        Path png = dir.resolve("p.png");
        SharedRuntime.Result late = SharedRuntime.cli("preview", project.toString(), "--clip", "V1:2", "--effect", "style-transfer",
                "--at", "5", "--out", png.toString());
        assertEquals(1, late.exit(), late.all());
        assertTrue(late.err().contains("--at") && late.err().contains("V1:2") && late.err().contains("25 frames"), late.err());
        SharedRuntime.Result time = SharedRuntime.cli("preview", project.toString(), "--clip", "V1:2", "--effect", "style-transfer",
                "--at", "soon", "--out", png.toString());
        assertTrue(time.exit() != 0 && time.err().contains("'soon'"), time.all());
        SharedRuntime.Result jpg = SharedRuntime.cli("preview", project.toString(), "--clip", "V1:2", "--effect", "style-transfer",
                "--at", "0", "--out", dir.resolve("p.jpg").toString());
        assertTrue(jpg.exit() != 0 && jpg.err().contains("PNG"), jpg.all());
        SharedRuntime.Result style = SharedRuntime.cli("preview", project.toString(), "--clip", "V1:2", "--effect", "style-transfer",
                "--set", "style=oil", "--at", "0", "--out", png.toString());
        assertTrue(style.exit() != 0 && style.err().contains("unknown style 'oil'"), style.all());
        assertFalse(Files.exists(png), "nothing written");
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertTrue(names.isEmpty(), "no temporary files left: " + names);
        }
    }
}

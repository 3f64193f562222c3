package org.kinora.effect.pose.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mask pictures given with {@code mask=PATH}: white or opaque is the character. */
class MaskFileTest {

    @TempDir
    Path dir;

    Path png(String name, BufferedImage img) throws Exception {
        Path f = dir.resolve(name);
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    /** A 40x30 picture: {@code background}, with {@code figure} over x 10..19, y 5..24. */
    static BufferedImage picture(int type, Color background, Color figure) {
        BufferedImage img = new BufferedImage(40, 30, type);
        Graphics2D g = img.createGraphics();
        g.setComposite(java.awt.AlphaComposite.Src);
        g.setColor(background);
        g.fillRect(0, 0, 40, 30);
        g.setColor(figure);
        g.fillRect(10, 5, 10, 20);
        g.dispose();
        return img;
    }

    static boolean inFigure(int x, int y) {
        return x >= 10 && x < 20 && y >= 5 && y < 25;
    }

    @Test
    void whiteOnBlackIsTheCharacter() throws Exception {
        float[] m = MaskFile.read(png("m.png", picture(BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE)), 40, 30);
        assertEquals(40 * 30, m.length);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                assertEquals(inFigure(x, y) ? 1f : 0f, m[y * 40 + x], 1e-6f, x + "," + y);
            }
        }
    }

    @Test
    void greyLevelsAreKeptAsSoftEdges() throws Exception {
        float[] m = MaskFile.read(png("g.png", picture(BufferedImage.TYPE_BYTE_GRAY, new Color(64, 64, 64), Color.WHITE)), 40, 30);
        assertEquals(64 / 255f, m[0], 0.01f);
        assertEquals(1f, m[10 * 40 + 12], 1e-6f);
    }

    @Test
    void withAnAlphaChannelOpaqueIsTheCharacterWhateverItsColour() throws Exception {
        // a cut-out saved with a transparent background: the figure is dark, but opaque
        float[] m = MaskFile.read(png("a.png", picture(BufferedImage.TYPE_INT_ARGB, new Color(255, 255, 255, 0), new Color(30, 30, 30, 255))),
                40, 30);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                assertEquals(inFigure(x, y) ? 1f : 0f, m[y * 40 + x], 1e-6f, x + "," + y);
            }
        }
    }

    @Test
    void anAlphaChannelOpaqueEverywhereSaysNothingSoBrightnessCounts() throws Exception {
        float[] m = MaskFile.read(png("o.png", picture(BufferedImage.TYPE_INT_ARGB, Color.BLACK, Color.WHITE)), 40, 30);
        assertEquals(0f, m[0], 1e-6f);
        assertEquals(1f, m[10 * 40 + 12], 1e-6f);
    }

    @Test
    void aMaskOfAnotherSizeIsScaledToTheFrame() throws Exception {
        // 40x30 read at 80x60: the figure covers x 20..39, y 10..49
        float[] m = MaskFile.read(png("m.png", picture(BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE)), 80, 60);
        assertEquals(80 * 60, m.length);
        assertEquals(1f, m[30 * 80 + 30], 1e-6f, "inside");
        assertEquals(1f, m[11 * 80 + 21], 1e-6f, "inside, near the corner");
        assertEquals(0f, m[30 * 80 + 10], 1e-6f, "left of it");
        assertEquals(0f, m[30 * 80 + 45], 1e-6f, "right of it");
        assertEquals(0f, m[55 * 80 + 30], 1e-6f, "below it");
        double sum = 0;
        for (float v : m) {
            sum += v;
        }
        assertEquals(20 * 40, sum, 40, "the figure's area scales with the picture");
        // and down: 20x15
        float[] s = MaskFile.read(dir.resolve("m.png"), 20, 15);
        assertEquals(1f, s[7 * 20 + 7], 0.01f);
        assertEquals(0f, s[7 * 20 + 15], 0.01f);
    }

    @Test
    void anAllBlackMaskIsRefusedNamingTheFile() throws Exception {
        Path f = png("black.png", picture(BufferedImage.TYPE_INT_RGB, Color.BLACK, new Color(100, 100, 100)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaskFile.read(f, 40, 30));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("shows no character"), e.getMessage());
        Path clear = png("clear.png", picture(BufferedImage.TYPE_INT_ARGB, new Color(0, 0, 0, 0), new Color(255, 255, 255, 40)));
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> MaskFile.read(clear, 40, 30));
        assertTrue(t.getMessage().contains(clear.toString()), t.getMessage());
    }

    @Test
    void aFileThatIsNoPictureIsRefusedNamingIt() throws Exception {
        Path f = dir.resolve("mask.png");
        Files.writeString(f, "this is not a picture\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaskFile.read(f, 40, 30));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("not a picture"), e.getMessage());
        // a PNG cut short
        byte[] whole = Files.readAllBytes(png("m.png", picture(BufferedImage.TYPE_INT_RGB, Color.BLACK, Color.WHITE)));
        Path cut = dir.resolve("cut.png");
        Files.write(cut, java.util.Arrays.copyOf(whole, 40));
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> MaskFile.read(cut, 40, 30));
        assertTrue(c.getMessage().contains(cut.toString()), c.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path f = dir.resolve("nowhere.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MaskFile.read(f, 40, 30));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("no such file"), e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> MaskFile.read(dir, 40, 30));
        assertTrue(d.getMessage().contains(dir.toString()), d.getMessage());
    }
}

package org.kinora.inference.internal.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny training run of the real trainer (real network, real loss, DJL's Trainer), on small synthetic pictures so it
 * needs no data and takes seconds: the loss goes down, and the files of a run are written.
 */
class StyleTrainerTest {

    @TempDir
    Path dir;

    /** Smooth colour gradients with a few discs: "photos". */
    static Path photo(Path dir, int i) throws Exception {
        Random r = new Random(i);
        int w = 72;
        int h = 64;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int c0 = r.nextInt(200);
        int c1 = r.nextInt(200);
        int cx = r.nextInt(w);
        int cy = r.nextInt(h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = c0 + x * 50 / w;
                int green = c1 + y * 50 / h;
                int blue = (x - cx) * (x - cx) + (y - cy) * (y - cy) < 150 ? 230 : 60;
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        Path p = dir.resolve("photo" + i + ".png");
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    /** Yellow and blue diagonal stripes: the "style". */
    static Path style(Path dir) throws Exception {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, ((x + y) / 4) % 2 == 0 ? 0xf0d020 : 0x203090);
            }
        }
        Path p = dir.resolve("style.png");
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void aFewStepsLowerTheLoss() throws Exception {
        List<Path> photos = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            photos.add(photo(dir, i));
        }
        int steps = 200;
        StyleTrainer.Recipe recipe = new StyleTrainer.Recipe(steps, 7, 32, 2, 1e-2, TrainStyle.WEIGHTS, 64);
        Path out = dir.resolve("out");
        TrainStyle.run(style(dir), photos, recipe, out, new StyleTrainer.Previews(List.of(photos.get(0)), out, 0));

        List<String> rows = Files.readAllLines(out.resolve(TrainStyle.CURVE));
        assertEquals("step,total,style,content,tv", rows.get(0));
        assertEquals(steps + 1, rows.size());
        double first = meanTotal(rows, 1, 11);
        double last = meanTotal(rows, steps - 9, steps + 1);
        assertTrue(last < 0.8 * first, "the loss goes down: first 10 steps " + first + ", last 10 " + last);
        assertTrue(Files.size(out.resolve(TrainStyle.PARAMS)) > 10_000);
        String card = Files.readString(out.resolve(TrainStyle.CARD));
        assertTrue(card.contains(TrainStyle.sha256(out.resolve(TrainStyle.PARAMS))), "the card names the weights' sha256");
        assertTrue(card.contains("random-feature Gram loss, not VGG"), card);
        assertTrue(Files.size(out.resolve("photo0-" + TrainStyle.ID + ".png")) > 0, "a preview");
    }

    private static double meanTotal(List<String> rows, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += Double.parseDouble(rows.get(i).split(",")[1]);
        }
        return s / (to - from);
    }
}

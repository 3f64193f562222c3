package org.kinora.inference.internal;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.samples.SampleScene;

/**
 * Pictures to look at, not a check: every style on a sample frame and a photo-like picture, whole and as 100% crops,
 * under {@code target/look/}. Run with {@code -Dkinora.look=true} (and {@code -Dkinora.look.tag=NAME} to name a run).
 */
@EnabledIfSystemProperty(named = "kinora.look", matches = "true")
class StyleLookTest {

    @Test
    void pictures() throws Exception {
        String tag = System.getProperty("kinora.look.tag", "now");
        Path dir = Path.of("target", "look");
        Files.createDirectories(dir);
        try (InferenceServiceImpl service = new InferenceServiceImpl()) {
            int w = 1280;
            int h = 720;
            byte[] sunset = rgb(SampleScene.SUNSET.frame(15, 50, w, h).rgb());
            byte[] meadow = rgb(SampleScene.MEADOW.frame(30, 50, w, h).rgb());
            byte[] photo = TestImages.photo(w, h, 5);
            Map<String, byte[]> pics = new java.util.LinkedHashMap<>();
            pics.put("sunset", sunset);
            pics.put("meadow", meadow);
            pics.put("photo", photo);
            for (Map.Entry<String, byte[]> e : pics.entrySet()) {
                write(dir.resolve(e.getKey() + "-src.png"), w, h, e.getValue(), 0, 0, w, h);
                write(dir.resolve(e.getKey() + "-src-crop1.png"), w, h, e.getValue(), 0, h - 300, 480, 300);
                write(dir.resolve(e.getKey() + "-src-crop2.png"), w, h, e.getValue(), 480, 250, 480, 300);
                for (String model : System.getProperty("kinora.look.models", "style-cartoon,style-pencil,style-paint").split(",")) {
                    Tensor t = TestImages.frames(w, h, e.getValue());
                    byte[] out = TestImages.bytes(service.infer(new InferenceRequest(model, List.of(t),
                            Map.of("strength", 1.0), "look", Priority.INTERACTIVE)).output("frames").orElseThrow());
                    String base = e.getKey() + "-" + model.substring(6) + "-" + tag;
                    write(dir.resolve(base + ".png"), w, h, out, 0, 0, w, h);
                    // 100% crops: left-bottom (caption, trees, ball) and middle
                    write(dir.resolve(base + "-crop1.png"), w, h, out, 0, h - 300, 480, 300);
                    write(dir.resolve(base + "-crop2.png"), w, h, out, 480, 250, 480, 300);
                }
            }
        }
    }

    static byte[] rgb(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        d.rewind();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return a;
    }

    static void write(Path file, int w, int h, byte[] px, int x0, int y0, int cw, int ch) throws Exception {
        BufferedImage img = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                int i = ((y + y0) * w + x + x0) * 3;
                img.setRGB(x, y, (TestImages.u(px, i) << 16) | (TestImages.u(px, i + 1) << 8) | TestImages.u(px, i + 2));
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }
}

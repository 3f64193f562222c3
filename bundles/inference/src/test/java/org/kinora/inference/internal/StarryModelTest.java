package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.inference.internal.neural.TrainStyle;

/**
 * The built-in neural style {@code style-starry} with its committed weights, on a real photo that was not among its
 * training pictures (messi5.jpg): stylized (colours move toward The Starry Night's), content kept (edges line up).
 */
class StarryModelTest {

    static InferenceServiceImpl service;

    @BeforeAll
    static void start() {
        service = new InferenceServiceImpl();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static Path media(String name) {
        Path p = Path.of(System.getProperty("kinora.test.media", System.getProperty("user.home") + "/.cache/kinora/test-media"))
                .resolve(name);
        if (!Files.isRegularFile(p)) {
            fail("test picture missing: " + p + " (" + name + " from Debian's opencv-doc: apt-get download opencv-doc; "
                    + "dpkg-deb --fsys-tarfile opencv-doc_*.deb | tar -x ./usr/share/doc/opencv-doc/examples/data/" + name
                    + "), or point -Dkinora.test.media at a folder holding it");
        }
        return p;
    }

    /** Packed RGB bytes of a picture; {@code size[0..1]} receive its width and height. */
    static byte[] rgb(Path file, int[] size) throws Exception {
        BufferedImage img = ImageIO.read(file.toFile());
        size[0] = img.getWidth();
        size[1] = img.getHeight();
        byte[] px = new byte[size[0] * size[1] * 3];
        int i = 0;
        for (int y = 0; y < size[1]; y++) {
            for (int x = 0; x < size[0]; x++) {
                int c = img.getRGB(x, y);
                px[i++] = (byte) (c >> 16);
                px[i++] = (byte) (c >> 8);
                px[i++] = (byte) c;
            }
        }
        return px;
    }

    static byte[] run(double strength, int w, int h, byte[] image) throws Exception {
        InferenceResult r = service.infer(new InferenceRequest(StarryModel.ID, List.of(TestImages.frames(w, h, image)),
                Map.of("strength", strength), "job-test", Priority.INTERACTIVE));
        Tensor out = r.output("frames").orElseThrow();
        assertArrayEquals(new long[] {1, h, w, 3}, out.shape());
        return TestImages.bytes(out);
    }

    @Test
    void committedWeightsMatchTheirCard() throws Exception {
        JsonNode card;
        try (InputStream in = StarryModel.class.getResourceAsStream(StarryModel.RESOURCES + TrainStyle.CARD)) {
            card = new ObjectMapper().readTree(in);
        }
        assertEquals(StarryModel.ID, card.path("id").asText());
        assertEquals("image-to-image", card.path("task").asText());
        byte[] weights = StarryModel.weights();
        assertTrue(weights.length < 2_000_000, "small enough to commit: " + weights.length + " bytes");
        assertEquals(weights.length, card.path("files").path(0).path("bytes").asLong());
        assertEquals(card.path("training").path("steps").asInt(), TrainStyle.STEPS, "the card's recipe is the default recipe");
        assertEquals(card.path("training").path("seed").asLong(), TrainStyle.SEED);
        try (InputStream in = StarryModel.class.getResourceAsStream(StarryModel.RESOURCES + TrainStyle.CURVE)) {
            String[] lines = new String(in.readAllBytes()).split("\n");
            assertEquals("step,total,style,content,tv", lines[0]);
            assertEquals(TrainStyle.STEPS + 1, lines.length, "one row per step");
        }

        byte[] damaged = weights.clone();
        damaged[damaged.length / 2] ^= 1;
        InferenceException e = assertThrows(InferenceException.class,
                () -> StarryModel.check("style-starry.params", damaged, card.path("files").path(0).path("sha256").asText()));
        assertTrue(e.getMessage().contains("style-starry.params") && e.getMessage().contains(card.path("files").path(0)
                .path("sha256").asText()) && e.getMessage().contains(TrainStyle.sha256(new java.io.ByteArrayInputStream(damaged))),
                e.getMessage());
    }

    @Test
    void stylizesAHeldOutPhotoAndKeepsItsContent() throws Exception {
        int[] size = new int[2];
        byte[] photo = rgb(media("messi5.jpg"), size);
        int w = size[0];
        int h = size[1];
        byte[] out = run(1.0, w, h, photo);
        if (Boolean.getBoolean("kinora.test.save")) {
            TestImages.saveBeforeAfter(Path.of("target/style-starry/messi5.png"), w, h, photo, out);
        }
        int[] ssize = new int[2];
        byte[] starry = rgb(media("starry_night.jpg"), ssize);

        double before = ColourStats.of(photo).distance(ColourStats.of(starry));
        double after = ColourStats.of(out).distance(ColourStats.of(starry));
        assertTrue(after < 0.75 * before, "colours move toward The Starry Night's: distance " + after + " vs " + before);
        assertTrue(TestImages.meanAbsDiff(photo, out) > 12, "visibly changed: " + TestImages.meanAbsDiff(photo, out));

        // the photo's edges are where the output's are: their correlation is far above that with the output mirrored
        // (the same picture statistics, unrelated positions)
        double[] in = edges(photo, w, h);
        double edges = correlation(in, edges(out, w, h));
        double unrelated = Math.abs(correlation(in, edges(mirror(out, w, h), w, h)));
        System.out.printf("style-starry on messi5: colour distance to The Starry Night %.1f -> %.1f, mean abs change %.1f, "
                + "edge correlation %.3f (mirrored %.3f)%n", before, after, TestImages.meanAbsDiff(photo, out), edges, unrelated);
        assertTrue(edges > EDGE_CORRELATION && edges > unrelated + 0.2,
                "edges of the photo kept: correlation " + edges + " (mirrored: " + unrelated + ")");

        assertArrayEquals(photo, run(0.0, w, h, photo), "strength 0 gives the photo exactly");
    }

    /** Mean and covariance of the RGB values (0..255). */
    record ColourStats(double[] mean, double[][] cov) {
        static ColourStats of(byte[] px) {
            int n = px.length / 3;
            double[] m = new double[3];
            for (int i = 0; i < px.length; i++) {
                m[i % 3] += TestImages.u(px, i);
            }
            for (int c = 0; c < 3; c++) {
                m[c] /= n;
            }
            double[][] cov = new double[3][3];
            for (int i = 0; i < px.length; i += 3) {
                for (int a = 0; a < 3; a++) {
                    for (int b = 0; b < 3; b++) {
                        cov[a][b] += (TestImages.u(px, i + a) - m[a]) * (TestImages.u(px, i + b) - m[b]);
                    }
                }
            }
            for (double[] row : cov) {
                for (int b = 0; b < 3; b++) {
                    row[b] /= n;
                }
            }
            return new ColourStats(m, cov);
        }

        /** Euclidean distance of the means plus that of the standard-deviation-scaled covariances. */
        double distance(ColourStats o) {
            double d = 0;
            double c = 0;
            for (int a = 0; a < 3; a++) {
                d += (mean[a] - o.mean[a]) * (mean[a] - o.mean[a]);
                for (int b = 0; b < 3; b++) {
                    double x = Math.signum(cov[a][b]) * Math.sqrt(Math.abs(cov[a][b]));
                    double y = Math.signum(o.cov[a][b]) * Math.sqrt(Math.abs(o.cov[a][b]));
                    c += (x - y) * (x - y);
                }
            }
            return Math.sqrt(d) + Math.sqrt(c);
        }
    }

    /** The least correlation of the photo's edges with the output's (see the test). */
    static final double EDGE_CORRELATION = 0.3;
    /** Edges are compared on a copy reduced this many times: the brush texture is finer than the photo's structure. */
    static final int REDUCE = 4;

    static byte[] mirror(byte[] px, int w, int h) {
        byte[] m = new byte[px.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(px, (y * w + x) * 3, m, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        return m;
    }

    /** Sobel gradient magnitude of the luma, on a {@link #REDUCE}-times reduced copy (box average). */
    static double[] edges(byte[] px, int w, int h) {
        int rw = w / REDUCE;
        int rh = h / REDUCE;
        double[] l = new double[rw * rh];
        for (int y = 0; y < rh * REDUCE; y++) {
            for (int x = 0; x < rw * REDUCE; x++) {
                l[(y / REDUCE) * rw + x / REDUCE] += TestImages.luma(px, w, x, y) / (REDUCE * REDUCE);
            }
        }
        double[] e = new double[rw * rh];
        for (int y = 1; y < rh - 1; y++) {
            for (int x = 1; x < rw - 1; x++) {
                int i = y * rw + x;
                double gx = l[i - rw + 1] + 2 * l[i + 1] + l[i + rw + 1] - l[i - rw - 1] - 2 * l[i - 1] - l[i + rw - 1];
                double gy = l[i + rw - 1] + 2 * l[i + rw] + l[i + rw + 1] - l[i - rw - 1] - 2 * l[i - rw] - l[i - rw + 1];
                e[i] = Math.hypot(gx, gy);
            }
        }
        return e;
    }

    static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }
}

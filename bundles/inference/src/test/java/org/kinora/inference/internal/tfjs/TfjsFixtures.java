package org.kinora.inference.internal.tfjs;

import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** The test models, the photo and the TF.js reference fixtures, shared by the tfjs tests. */
final class TfjsFixtures {

    /** Fixture folder inside the source tree (written by the generators, read back from the class path's copy). */
    static final Path SOURCE_DIR = Path.of("src/test/resources/tfjs-reference");

    /** One reference case: a model, one input picture, the graph tensors compared. */
    record Case(String name, String model, String modelFile, int size, boolean floatInput, String input, List<String> outputs) {

        Path modelJson() {
            return models().resolve(model).resolve(modelFile);
        }
    }

    static final String PHOTO = "photo";
    static final String SYNTHETIC = "synthetic";

    /** The person's crop in the photo for BlazePose (x0, y0, x1, y1): the footballer with some margin. */
    static final int[] CROP = {40, 20, 480, 342};

    static final List<Case> CASES = List.of(
            new Case("movenet-lightning-photo", "movenet-lightning", "movenet-lightning.json", 192, false, PHOTO,
                    List.of("Identity", "StatefulPartitionedCall/Sigmoid")),
            new Case("movenet-lightning-synthetic", "movenet-lightning", "movenet-lightning.json", 192, false, SYNTHETIC,
                    List.of("Identity", "StatefulPartitionedCall/Sigmoid")),
            new Case("movenet-thunder-photo", "movenet-thunder", "movenet-thunder.json", 256, false, PHOTO,
                    List.of("Identity", "StatefulPartitionedCall/Sigmoid")),
            new Case("movenet-thunder-synthetic", "movenet-thunder", "movenet-thunder.json", 256, false, SYNTHETIC,
                    List.of("Identity")),
            new Case("blazepose-full-photo", "blazepose-full", "blazepose-full.json", 256, true, PHOTO,
                    List.of("Identity_2", "Identity_3", "Identity_4", "Identity_1", "Identity")),
            new Case("blazepose-full-synthetic", "blazepose-full", "blazepose-full.json", 256, true, SYNTHETIC,
                    List.of("Identity_2", "Identity_3", "Identity_4")),
            new Case("selfie-photo", "selfie-segmentation", "selfie.json", 256, true, PHOTO, List.of("activation_10")),
            new Case("selfie-synthetic", "selfie-segmentation", "selfie.json", 256, true, SYNTHETIC, List.of("activation_10")));

    private TfjsFixtures() {
    }

    /** The test-models folder with the four TF.js models verified (fetched through the model store when missing). */
    static Path models() {
        for (String id : List.of("movenet-lightning", "movenet-thunder", "blazepose-full", "selfie-segmentation")) {
            org.kinora.inference.internal.TestModels.folder(id);
        }
        return org.kinora.inference.internal.TestModels.root();
    }

    static Path photo() {
        Path p = Path.of(System.getProperty("kinora.test.media", System.getProperty("user.home") + "/.cache/kinora/test-media"))
                .resolve("messi5.jpg");
        if (!Files.isRegularFile(p)) {
            fail("test photo missing: " + p + " (messi5.jpg from Debian's opencv-doc: apt-get download opencv-doc, then "
                    + "dpkg-deb -x and copy .../samples/data/messi5.jpg), or point -Dkinora.test.media at it");
        }
        return p;
    }

    /** The photo as {@code UINT8 [H, W, 3]} RGB. */
    static NDArray photo(NDManager m) throws IOException {
        BufferedImage img = ImageIO.read(photo().toFile());
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (p >> 16);
                rgb[o + 1] = (byte) (p >> 8);
                rgb[o + 2] = (byte) p;
            }
        }
        return m.create(ByteBuffer.wrap(rgb), new Shape(h, w, 3), DataType.UINT8);
    }

    /** A fixed synthetic picture, {@code UINT8 [size, size, 3]}: ramps and a checkerboard, no person. */
    static NDArray synthetic(NDManager m, int size) {
        byte[] rgb = new byte[size * size * 3];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int o = (y * size + x) * 3;
                rgb[o] = (byte) ((x * 7 + y * 3) & 0xff);
                rgb[o + 1] = (byte) ((x * y / 64) & 0xff);
                rgb[o + 2] = (byte) (((x / 16 + y / 16) % 2) * 200 + 20);
            }
        }
        return m.create(ByteBuffer.wrap(rgb), new Shape(size, size, 3), DataType.UINT8);
    }

    /** The square {@code UINT8} input picture of {@code c}, exactly as its translator prepares it. */
    static NDArray inputPicture(NDManager m, Case c) throws IOException {
        if (c.input().equals(SYNTHETIC)) {
            return synthetic(m, c.size());
        }
        try (NDArray photo = photo(m)) {
            if (c.model().equals("movenet-lightning") || c.model().equals("movenet-thunder")) {
                return new MoveNetTranslator(c.size()).fit(photo).image();
            }
            if (c.model().equals("selfie-segmentation")) {
                return new SelfieTranslator().fit(photo).image();
            }
            try (NDArray crop = photo.get("{}:{}, {}:{}, :", CROP[1], CROP[3], CROP[0], CROP[2])) {
                return new BlazePoseTranslator().fit(crop).image();
            }
        }
    }

    /** The graph input for a square picture. */
    static NDArray graphInput(Case c, NDArray square) {
        return c.floatInput() ? SelfieTranslator.unitFloat(square) : new MoveNetTranslator(c.size()).toInput(square);
    }

    static String inputFile(Case c) {
        return "inputs/" + c.name() + ".u8.gz";
    }

    static byte[] readGz(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    static void writeGz(Path p, byte[] data) throws IOException {
        Files.createDirectories(p.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        Files.write(p, bytes.toByteArray());
    }

    static float[] floats(byte[] le) {
        float[] f = new float[le.length / 4];
        ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}

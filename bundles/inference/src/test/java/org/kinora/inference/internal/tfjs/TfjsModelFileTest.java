package org.kinora.inference.internal.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model.json reader's bounds and decoding, and the interpreter's load-time refusal of unknown ops, on tiny graphs. */
class TfjsModelFileTest {

    @TempDir
    Path dir;

    private Path model(String nodes, String weights, String paths) throws IOException {
        Path p = dir.resolve("m.json");
        Files.writeString(p, "{\"format\":\"graph-model\",\"modelTopology\":{\"node\":[" + nodes + "]},"
                + "\"weightsManifest\":[{\"paths\":[" + paths + "],\"weights\":[" + weights + "]}],"
                + "\"signature\":{\"outputs\":{\"y\":{\"name\":\"y:0\"}}}}");
        return p;
    }

    private static final String INPUT = "{\"name\":\"x\",\"op\":\"Placeholder\",\"attr\":{\"dtype\":{\"type\":\"DT_FLOAT\"}}}";

    @Test
    void decodesFloat16AndUint8Weights() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0x3c00).putShort((short) 0xc000); // fp16 1.0, -2.0
        b.put((byte) 0).put((byte) 4); // uint8 -> 0*0.5+1, 4*0.5+1
        Files.write(dir.resolve("w.bin"), b.array());
        Path p = model(INPUT + ",{\"name\":\"h\",\"op\":\"Const\"},{\"name\":\"q\",\"op\":\"Const\"},"
                        + "{\"name\":\"s\",\"op\":\"AddV2\",\"input\":[\"x\",\"h\",\"^q\"]},{\"name\":\"y\",\"op\":\"Mul\",\"input\":[\"s\",\"q\"]}",
                "{\"name\":\"h\",\"shape\":[2],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"float16\"}},"
                        + "{\"name\":\"q\",\"shape\":[2],\"dtype\":\"float32\",\"quantization\":{\"dtype\":\"uint8\",\"scale\":0.5,\"min\":1}}",
                "\"w.bin\"");
        TfjsModelFile f = TfjsModelFile.read(p);
        assertArrayEquals(new float[] {1f, -2f}, f.weights().get("h").floats());
        assertArrayEquals(new float[] {1f, 3f}, f.weights().get("q").floats());
        try (NDManager m = NDManager.newBaseManager("PyTorch"); TfjsGraph g = new TfjsGraph(f, m)) {
            NDList out = g.run(m, m.create(new float[] {10, 20}, new Shape(2)), List.of("y"), () -> { });
            assertArrayEquals(new float[] {11f, 54f}, out.head().toFloatArray());
        }
    }

    @Test
    void refusesWeightsLargerThanTheirShards() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[8]);
        Path p = model(INPUT, "{\"name\":\"w\",\"shape\":[3],\"dtype\":\"float32\"}", "\"w.bin\"");
        IOException e = assertThrows(IOException.class, () -> TfjsModelFile.read(p));
        assertTrue(e.getMessage().contains("needs 12 weight bytes") && e.getMessage().contains("hold 8"), e.getMessage());
    }

    @Test
    void refusesShardsOutsideTheModelFolder() throws Exception {
        Path p = model(INPUT, "{\"name\":\"w\",\"shape\":[1],\"dtype\":\"float32\"}", "\"../elsewhere.bin\"");
        IOException e = assertThrows(IOException.class, () -> TfjsModelFile.read(p));
        assertTrue(e.getMessage().contains("outside the model folder"), e.getMessage());
    }

    @Test
    void refusesHugeShapesBeforeAllocating() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[4]);
        Path p = model(INPUT, "{\"name\":\"w\",\"shape\":[100000,100000],\"dtype\":\"float32\"}", "\"w.bin\"");
        assertThrows(IOException.class, () -> TfjsModelFile.read(p));
    }

    @Test
    void unknownOpIsNamedAtLoad() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[0]);
        Path p = model(INPUT + ",{\"name\":\"y\",\"op\":\"Einsum\",\"input\":[\"x\"]}", "", "\"w.bin\"");
        TfjsModelFile f = TfjsModelFile.read(p);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TfjsGraph(f, m));
            assertTrue(e.getMessage().contains("Einsum node 'y'"), e.getMessage());
        }
    }

    @Test
    void resizeWeightsFollowTfConventions() {
        // 2 -> 4 samples: half-pixel centres give 0, .25, .75, 1 of the way; align_corners 0, 1/3, 2/3, 1; legacy 0, .5, 1, 1
        float[] half = Resample.bilinearWeights(2, 4, Resample.Mode.HALF_PIXEL);
        float[] align = Resample.bilinearWeights(2, 4, Resample.Mode.ALIGN_CORNERS);
        float[] legacy = Resample.bilinearWeights(2, 4, Resample.Mode.LEGACY);
        assertArrayEquals(new float[] {0f, .25f, .75f, 1f}, new float[] {half[1], half[3], half[5], half[7]}, 1e-6f);
        assertArrayEquals(new float[] {0f, 1 / 3f, 2 / 3f, 1f}, new float[] {align[1], align[3], align[5], align[7]}, 1e-6f);
        assertArrayEquals(new float[] {0f, .5f, 1f, 1f}, new float[] {legacy[1], legacy[3], legacy[5], legacy[7]}, 1e-6f);
        float[] area = Resample.areaWeights(4, 2);
        assertArrayEquals(new float[] {.5f, .5f, 0, 0, 0, 0, .5f, .5f}, area, 1e-6f);
    }

    @Test
    void sameMaxPoolPadsBottomRightLikeTf() throws Exception {
        // 1x4x4x1 input, 3x3 window stride 2 SAME: output 2x2, padding 0 top/left and 1 bottom/right (TF's asymmetric rule)
        Files.write(dir.resolve("w.bin"), new byte[0]);
        Path p = model(INPUT + ",{\"name\":\"y\",\"op\":\"MaxPool\",\"input\":[\"x\"],\"attr\":{"
                + "\"ksize\":{\"list\":{\"i\":[\"1\",\"3\",\"3\",\"1\"]}},\"strides\":{\"list\":{\"i\":[\"1\",\"2\",\"2\",\"1\"]}},"
                + "\"padding\":{\"s\":\"U0FNRQ==\"}}}", "", "\"w.bin\"");
        try (NDManager m = NDManager.newBaseManager("PyTorch"); TfjsGraph g = new TfjsGraph(TfjsModelFile.read(p), m)) {
            NDArray x = m.arange(16f).reshape(1, 4, 4, 1).neg();
            NDArray y = g.run(m, x, List.of("y"), () -> { }).head();
            assertArrayEquals(new long[] {1, 2, 2, 1}, y.getShape().getShape());
            // windows start at rows/cols 0 and 2: maxima of -v are the top-left elements 0, -2, -8, -10
            assertArrayEquals(new float[] {0f, -2f, -8f, -10f}, y.toFloatArray(), 1e-6f);
            assertEquals(4, y.size());
        }
    }
}

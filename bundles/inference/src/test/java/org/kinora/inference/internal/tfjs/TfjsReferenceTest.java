package org.kinora.inference.internal.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kinora's interpreter against TF.js 4.22.0 itself (cpu backend): the raw graph outputs for the same input bytes, from the
 * fixtures made by src/test/reference/tfjs/make-references.mjs.
 *
 * <p>Tolerance: max |kinora - tfjs| <= 1e-3 on values in [0, 1] (heatmaps, masks, scores, MoveNet's normalized keypoints)
 * and <= 1e-3 * max(1, |tfjs|) on BlazePose's pixel-unit landmark outputs (ld_3d in 0..256 input pixels, world_3d). Both
 * sides compute in fp32 from the same fp16-upcast weights; the differences are summation order (conv kernels), so they
 * stay around 1e-5 — the measured figures are printed.
 */
class TfjsReferenceTest {

    private static final double TOLERANCE = 1e-3;
    private static NDManager manager;
    private static final Map<String, TfjsGraph> graphs = new HashMap<>();
    private static JsonObject index;

    @BeforeAll
    static void setUp() throws Exception {
        manager = NDManager.newBaseManager("PyTorch");
        index = JsonParser.parseString(Files.readString(TfjsFixtures.SOURCE_DIR.resolve("index.json"))).getAsJsonObject();
    }

    @AfterAll
    static void tearDown() {
        graphs.values().forEach(TfjsGraph::close);
        manager.close();
    }

    static List<TfjsFixtures.Case> cases() {
        return TfjsFixtures.CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTfjs(TfjsFixtures.Case c) throws Exception {
        TfjsGraph graph = graphs.computeIfAbsent(c.model(), k -> {
            try {
                return new TfjsGraph(TfjsModelFile.read(c.modelJson()), manager);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        JsonObject ref = null;
        for (JsonElement e : index.getAsJsonArray("cases")) {
            if (e.getAsJsonObject().get("case").getAsString().equals(c.name())) {
                ref = e.getAsJsonObject();
            }
        }
        assertTrue(ref != null, "no reference for " + c.name() + " in index.json (see src/test/reference/tfjs/README.md)");
        byte[] pixels = TfjsFixtures.readGz(TfjsFixtures.SOURCE_DIR.resolve(TfjsFixtures.inputFile(c)));
        try (NDManager scope = manager.newSubManager()) {
            NDArray square = scope.create(ByteBuffer.wrap(pixels), new Shape(c.size(), c.size(), 3), DataType.UINT8);
            NDArray input = TfjsFixtures.graphInput(c, square);
            long t0 = System.nanoTime();
            NDList outs = graph.run(scope, input, c.outputs(), () -> { });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            List<String> report = new ArrayList<>();
            var refOuts = ref.getAsJsonArray("outputs");
            assertEquals(c.outputs().size(), refOuts.size());
            for (int k = 0; k < outs.size(); k++) {
                JsonObject o = refOuts.get(k).getAsJsonObject();
                long[] shape = new long[o.getAsJsonArray("shape").size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = o.getAsJsonArray("shape").get(d).getAsLong();
                }
                NDArray mine = outs.get(k);
                assertArrayEquals(shape, mine.getShape().getShape(), c.name() + " " + o.get("name").getAsString() + " shape");
                float[] want = TfjsFixtures.floats(TfjsFixtures.readGz(TfjsFixtures.SOURCE_DIR.resolve(o.get("file").getAsString())));
                float[] got = mine.toType(DataType.FLOAT32, false).toFloatArray();
                double maxDiff = 0;
                double maxScaled = 0;
                int worst = 0;
                for (int i = 0; i < want.length; i++) {
                    double d = Math.abs(got[i] - want[i]);
                    double scaled = d / Math.max(1, Math.abs(want[i]));
                    if (scaled > maxScaled) {
                        maxScaled = scaled;
                        worst = i;
                    }
                    maxDiff = Math.max(maxDiff, d);
                }
                report.add(String.format("%s max|d|=%.2e (scaled %.2e)", o.get("name").getAsString(), maxDiff, maxScaled));
                assertTrue(maxScaled <= TOLERANCE, String.format("%s %s: element %d is %.6f, TF.js says %.6f (max |d| %.3e)",
                        c.name(), o.get("name").getAsString(), worst, got[worst], want[worst], maxDiff));
            }
            System.out.printf("tfjs-reference %s (%d ms, peak intermediates %.1f MB, weights %.1f MB): %s%n", c.name(), ms,
                    graph.lastPeakBytes() / 1e6, graph.weightBytes() / 1e6, String.join(", ", report));
        }
    }
}

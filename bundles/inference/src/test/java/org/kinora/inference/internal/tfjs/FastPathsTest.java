package org.kinora.inference.internal.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The speed paths give what the plain ones give: frame resizes, clamps. */
class FastPathsTest {

    @Test
    void growingFrameResizeIsTheDenseBilinearFilter() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.randomUniform(0, 255, new Shape(3, 37, 53));
            NDArray fast = Resample.frame(x, 100, 160);
            NDArray dense = Resample.apply(x, Resample.frameWeights(37, 100), 100, Resample.frameWeights(53, 160), 160);
            assertArrayEquals(new long[] {3, 100, 160}, fast.getShape().getShape());
            float diff = fast.sub(dense).abs().max().getFloat();
            assertTrue(diff < 1e-3f, "max |fast - dense| = " + diff + " on 0..255");
        }
    }

    @Test
    void shrinkingByFourOrMorePoolsBlocksThatDivideTheSide() {
        assertEquals(3, Resample.boxFactor(720, 108));
        assertEquals(2, Resample.boxFactor(1280, 192));
        assertEquals(1, Resample.boxFactor(548, 192), "below 4x the exact area filter alone");
        assertEquals(1, Resample.boxFactor(1283, 192), "1283 is prime past 2: no block divides it");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // a horizontal ramp and a constant plane: the box-of-boxes filter keeps both (geometry and level unchanged)
            NDArray ramp = m.arange(1280f).reshape(1, 1280).repeat(0, 720).div(5f).expandDims(0);
            NDArray fast = Resample.frame(ramp, 108, 192);
            NDArray dense = Resample.apply(ramp, Resample.frameWeights(720, 108), 108, Resample.frameWeights(1280, 192), 192);
            float diff = fast.sub(dense).abs().max().getFloat();
            // the ramp rises 0.2 a pixel: 0.05 is a quarter of an input pixel of displacement at most
            assertTrue(diff < 0.05f, "ramp: max |fast - dense| = " + diff + " (values 0..256)");
            NDArray flat = Resample.frame(m.full(new Shape(720, 1280), 7f), 108, 192);
            assertEquals(7f, flat.max().getFloat(), 1e-4f);
            assertEquals(7f, flat.min().getFloat(), 1e-4f);
        }
    }

    @Test
    void clampIsClip() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.randomUniform(-10, 10, new Shape(1000));
            assertArrayEquals(x.clip(0f, 6f).toFloatArray(), Clamp.apply(x, 0f, 6f).toFloatArray(), 0f);
        }
    }
}

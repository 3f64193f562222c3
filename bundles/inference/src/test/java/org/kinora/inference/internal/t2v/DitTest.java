package org.kinora.inference.internal.t2v;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The codes that travel with the prompt's motion are the grid's own row and column codes, shifted. */
class DitTest {

    static final int WIDTH = 96;
    static final int GT = 2;
    static final int GH = 3;
    static final int GW = 5;

    /** The row and column part of {@link Dit#positions} for each token, {@code [N, width - width / 4]}. */
    static float[][] fixedCodes(NDManager m) {
        float[] p = Dit.positions(m, GT, GH, GW, WIDTH).toFloatArray();
        int dt = WIDTH / 4;
        float[][] out = new float[GT * GH * GW][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(p, i * WIDTH + dt, (i + 1) * WIDTH);
        }
        return out;
    }

    static float[][] tokens(NDArray codes) {
        long n = codes.getShape().get(1);
        int dims = (int) codes.getShape().get(2);
        float[] all = codes.toFloatArray();
        float[][] out = new float[(int) n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(all, i * dims, (i + 1) * dims);
        }
        return out;
    }

    @Test
    void withNoOffsetTheyAreTheGridsCodes() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray codes = Dit.movingCodes(m.zeros(new Shape(1, GT, 2)), GT, GH, GW, WIDTH);
            assertArrayEquals(new long[] {1, GT * GH * GW, WIDTH - WIDTH / 4}, codes.getShape().getShape());
            float[][] fixed = fixedCodes(m);
            float[][] moving = tokens(codes);
            for (int i = 0; i < fixed.length; i++) {
                assertArrayEquals(fixed[i], moving[i], 1e-5f, "token " + i);
            }
        }
    }

    @Test
    void anOffsetMovesThemByThatManyPatchesInItsOwnFrameGroup() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            // group 0 stays; group 1 moves one column right and two rows down
            NDArray offset = m.create(new float[] {0, 0, 2, 1}, new Shape(1, GT, 2));
            float[][] moving = tokens(Dit.movingCodes(offset, GT, GH, GW, WIDTH));
            float[][] fixed = fixedCodes(m);
            int checked = 0;
            for (int y = 0; y < GH; y++) {
                for (int x = 0; x < GW; x++) {
                    int g0 = y * GW + x;
                    assertArrayEquals(fixed[g0], moving[g0], 1e-5f, "group 0 unmoved at " + y + "," + x);
                    int g1 = GH * GW + g0;
                    if (y >= 2 && x >= 1) {
                        // the code at (y, x) of group 1 is the unmoved code of (y - 2, x - 1)
                        assertArrayEquals(fixed[(y - 2) * GW + x - 1], moving[g1], 1e-4f, "group 1 at " + y + "," + x);
                        checked++;
                    }
                    assertFalse(Arrays.equals(fixed[g0], moving[g1]), "group 1 moved at " + y + "," + x);
                }
            }
            assertEquals(4, checked);
        }
    }
}

package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The NDArray building blocks keep borders right (no dark or bright frame around the picture). */
class ImageOpsTest {

    @Test
    void filtersOfAConstantImageAreConstant() throws Exception {
        Djl.call(() -> {
            try (NDManager m = NDManager.newBaseManager(Djl.ENGINE)) {
                NDArray ones = m.ones(new Shape(1, 3, 20, 30)).mul(0.5f);
                check(ImageOps.box(ones, 3), "box");
                check(ImageOps.gauss(ones, 4), "gauss");
                check(ImageOps.guidedFilter(ones, 3, 0.01f), "guided");
                check(ImageOps.padReplicate(ones, 2), "pad");
                check(PaintModel.kuwahara(ones, 3), "kuwahara");
                check(ImageOps.bilateralAtrous(ones, 3, 150f), "bilateral");
                for (int f = 2; f <= 3; f++) {
                    NDArray big = m.ones(new Shape(1, 3, 20 * f + 1, 30 * f - 1)).mul(0.5f);
                    NDArray up = ImageOps.jointBilateralUpsample(big, ImageOps.reduce(big, f), ImageOps.reduce(big, f), f, 80f);
                    assertEquals(big.getShape(), up.getShape(), "upsampled size");
                    check(up, "joint bilateral upsampling x" + f);
                }
                NDArray edges = ImageOps.sobel(ImageOps.luma(ones));
                assertEquals(0f, edges.max().getFloat(), 1e-5f, "sobel of a constant");
                assertEquals(new Shape(1, 1, 20, 30), edges.getShape());
            }
            return null;
        });
    }

    private static void check(NDArray a, String what) {
        assertEquals(0.5f, a.min().getFloat(), 2e-4f, what + " min");
        assertEquals(0.5f, a.max().getFloat(), 2e-4f, what + " max");
    }
}

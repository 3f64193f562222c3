package org.kinora.inference.internal.t2v;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InvalidInferenceRequestException;

/** The bundled text-to-video network: it loads (sha256 checked), takes every aspect bucket, is deterministic, and refuses bad shapes. */
class T2vModelTest {

    static NDList inputs(NDManager m, int b, int frames, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] x = new float[b * frames * h * w * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] text = new float[b * 384];
        for (int i = 0; i < text.length; i++) {
            text[i] = (float) (r.nextGaussian() / 20);
        }
        float[] t = new float[b];
        java.util.Arrays.fill(t, 0.6f);
        return new NDList(m.create(x, new Shape(b, frames, h, w, 3)), m.create(t), m.create(text, new Shape(b, 384)),
                m.zeros(new Shape(b, h, w, 3)), m.zeros(new Shape(b)));
    }

    @Test
    void everyBucketRunsAndTheSameInputGivesTheSameVelocity() throws Exception {
        try (T2vModel model = T2vModel.load(Device.cpu()); NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (Buckets.Bucket b : Buckets.ALL) {
                NDArray v = model.velocity(inputs(m, 2, Buckets.FRAMES, b.height(), b.width(), 3));
                assertArrayEquals(new long[] {2, Buckets.FRAMES, b.height(), b.width(), 3}, v.getShape().getShape(), b.aspect());
                float[] a = v.toFloatArray();
                float[] again = model.velocity(inputs(m, 2, Buckets.FRAMES, b.height(), b.width(), 3)).toFloatArray();
                assertArrayEquals(a, again, b.aspect() + ": deterministic");
                for (float f : a) {
                    assertTrue(Float.isFinite(f));
                }
            }
        }
    }

    @Test
    void theVelocityIsTheOneTheCleanClipImplies() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray xt = m.create(new float[] {1, 2, 3}).reshape(1, 1, 1, 1, 3);
            NDArray x0 = m.create(new float[] {0.5f, 1, 1}).reshape(1, 1, 1, 1, 3);
            assertArrayEquals(new float[] {1, 2, 4}, Dit.velocity(xt, x0, m.create(new float[] {0.5f})).toFloatArray(), 1e-6f);
            // near t = 0 the division is bounded
            assertEquals(0.5f / Dit.MIN_T, Dit.velocity(xt, x0, m.create(new float[] {0f})).toFloatArray()[0], 1e-3f);
        }
    }

    @Test
    void shapesItCannotTakeAreRefusedByName() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDList odd = inputs(m, 1, 7, 32, 56, 1);
            assertTrue(assertThrows(InvalidInferenceRequestException.class, () -> T2vModel.check(odd)).getMessage().contains("latent"));
            NDList big = inputs(m, 9, 8, 32, 56, 1);
            assertThrows(InvalidInferenceRequestException.class, () -> T2vModel.check(big));
            NDList wrongText = inputs(m, 1, 8, 32, 56, 1);
            wrongText.set(2, m.zeros(new Shape(1, 100)));
            assertTrue(assertThrows(InvalidInferenceRequestException.class, () -> T2vModel.check(wrongText)).getMessage().contains("text"));
        }
    }
}

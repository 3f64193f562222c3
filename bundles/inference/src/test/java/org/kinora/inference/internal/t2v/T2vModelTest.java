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
                m.create(text, new Shape(b, 1, 384)), m.ones(new Shape(b, 1)), m.zeros(new Shape(b, h, w, 3)), m.zeros(new Shape(b)));
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
            NDList wrongMask = inputs(m, 1, 8, 32, 56, 1);
            wrongMask.set(4, m.ones(new Shape(1, 2)));
            assertTrue(assertThrows(InvalidInferenceRequestException.class, () -> T2vModel.check(wrongMask)).getMessage()
                    .contains("text_mask"));
            NDList noWords = inputs(m, 1, 8, 32, 56, 1);
            noWords.set(3, m.zeros(new Shape(1, 0, 384)));
            assertTrue(assertThrows(InvalidInferenceRequestException.class, () -> T2vModel.check(noWords)).getMessage()
                    .contains("text_tokens"));
        }
    }

    /**
     * Cross-attention reads the word pieces and nothing of the padding: a prompt padded with garbage under a zero mask
     * gives the same clean clip as the prompt alone, and changing a word piece changes it.
     */
    @Test
    void paddedWordPiecesAreMaskedOutAndRealOnesAreRead() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Dit net = new Dit(new Dit.Config(32, 2, 2, 384));
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 2, 8, 8, 3), new Shape(1), new Shape(1, 384),
                    new Shape(1, 3, 384), new Shape(1, 3), new Shape(1, 8, 8, 3), new Shape(1));
            // no zeroInit: the untrained adaLN gates are open, so the text path reaches the output
            Random r = new Random(3);
            float[] latent = gaussian(r, 2 * 8 * 8 * 3, 1);
            float[] text = gaussian(r, 384, 0.05);
            float[] words = gaussian(r, 3 * 384, 1);
            float[] padded = new float[5 * 384];
            System.arraycopy(words, 0, padded, 0, words.length);
            System.arraycopy(gaussian(r, 2 * 384, 5), 0, padded, words.length, 2 * 384);
            float[] alone = forward(net, m, latent, text, words, new float[] {1, 1, 1});
            float[] withPadding = forward(net, m, latent, text, padded, new float[] {1, 1, 1, 0, 0});
            assertArrayEquals(alone, withPadding, 1e-5f, "padding under a zero mask changed the output");
            float[] changed = words.clone();
            for (int i = 384; i < 2 * 384; i++) {
                changed[i] = -changed[i];
            }
            float[] other = forward(net, m, latent, text, changed, new float[] {1, 1, 1});
            double diff = 0;
            for (int i = 0; i < other.length; i++) {
                diff = Math.max(diff, Math.abs(other[i] - alone[i]));
            }
            assertTrue(diff > 1e-3, "a different word piece left the output as it was: max diff " + diff);
        }
    }

    private static float[] forward(Dit net, NDManager m, float[] latent, float[] text, float[] words, float[] mask) {
        int l = mask.length;
        NDList in = new NDList(m.create(latent, new Shape(1, 2, 8, 8, 3)), m.create(new float[] {0.7f}), m.create(text, new Shape(1, 384)),
                m.create(words, new Shape(1, l, 384)), m.create(mask, new Shape(1, l)), m.zeros(new Shape(1, 8, 8, 3)), m.zeros(new Shape(1)));
        return net.forward(new ai.djl.training.ParameterStore(m, false), in, false).get(0).toFloatArray();
    }

    private static float[] gaussian(Random r, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * scale);
        }
        return x;
    }
}

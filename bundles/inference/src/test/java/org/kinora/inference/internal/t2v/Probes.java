package org.kinora.inference.internal.t2v;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Random;
import org.kinora.core.inference.InferenceException;

/** What the developer's probes of a trained denoiser share. */
final class Probes {

    /** Where {@code kinora models fetch minilm-l6-v2} puts the text encoder. */
    static final Path MINILM = Path.of(System.getProperty("user.home"), ".local/share/kinora/models/minilm-l6-v2");

    private Probes() {
    }

    /**
     * The network's guess of the clean clip when {@code x0} ({@code [f, h, w, 3]} in [-1, 1]) is noised to level {@code t}
     * with the noise of {@code noiseSeed}, prompted with {@code prompt} (pooled embedding, token states), no anchor.
     */
    static float[] cleanGuess(T2vModel model, NDManager m, float[][] prompt, float t, float[] x0, long noiseSeed, int w, int h,
            int f) throws InferenceException {
        Random noise = new Random(noiseSeed);
        float[] xt = new float[x0.length];
        for (int k = 0; k < xt.length; k++) {
            xt[k] = (float) ((1 - t) * x0[k] + t * noise.nextGaussian());
        }
        int e = prompt[0].length;
        int words = prompt[1].length / e;
        try (NDManager sm = m.newSubManager()) {
            NDList in = new NDList(sm.create(xt, new Shape(1, f, h, w, 3)), sm.create(new float[] {t}), sm.create(prompt[0], new Shape(1, e)),
                    sm.create(prompt[1], new Shape(1, words, e)), sm.ones(new Shape(1, words)), sm.zeros(new Shape(1, h, w, 3)),
                    sm.zeros(new Shape(1)));
            float[] v = model.velocity(in).toFloatArray();
            float[] guess = new float[v.length];
            for (int k = 0; k < v.length; k++) {
                guess[k] = xt[k] - t * v[k];
            }
            return guess;
        }
    }

    /** A rendered clip's bytes as pixels in [-1, 1]. */
    static float[] pixels(byte[] rgb) {
        float[] x = new float[rgb.length];
        for (int k = 0; k < rgb.length; k++) {
            x[k] = (rgb[k] & 0xff) / 127.5f - 1f;
        }
        return x;
    }
}

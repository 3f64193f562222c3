package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * {@code style-pencil}: a graphite sketch. Gray, inverted, Gaussian blurred and color-dodge blended with the gray
 * (which leaves the outlines), darkened, with diagonal hatching in the dark tones and a light paper grain; gray in RGB.
 */
final class PencilModel extends ImageStyleModel {

    static final String ID = "style-pencil";

    PencilModel() {
        super(ID, "Pencil sketch, classical: color-dodge of the gray image with its blurred inverse, hatching in dark tones "
                + "and paper grain; gray output.");
    }

    @Override
    NDArray stylize(NDArray rgb) {
        NDManager m = rgb.getManager();
        Shape s = rgb.getShape();
        long h = s.get(2);
        long w = s.get(3);
        NDArray gray = ImageOps.luma(rgb);
        double sigma = Math.max(1.5, Math.min(h, w) / 140.0);
        // color dodge of gray with blur(1 - gray): gray / (1 - blur(1 - gray)) = gray / blur(gray)
        NDArray blur = ImageOps.gauss(gray, sigma);
        NDArray sketch = gray.div(blur.maximum(1e-3f)).clip(0f, 1f);
        sketch = sketch.pow(2.2f);

        // hatching: diagonal strokes from a fixed noise field, visible where the (blurred) tone is dark
        int len = (int) Math.max(5, Math.round(Math.min(h, w) / 80.0)) | 1;
        float[] k = new float[len * len];
        for (int i = 0; i < len; i++) {
            k[i * len + (len - 1 - i)] = 1f / len;
        }
        NDArray noise = ImageOps.hashNoise(m, h + len - 1, w + len - 1, 0.37f);
        NDArray strokes = Conv2d.conv2d(noise, m.create(k, new Shape(1, 1, len, len))).singletonOrThrow();
        strokes = ImageOps.smoothstep(strokes, 0.5f, 0.5f + 1.6f / (float) Math.sqrt(len));
        NDArray tone = ImageOps.gauss(gray, sigma * 1.5);
        NDArray shade = ImageOps.smoothstep(tone.mul(-1f).add(1f), 0.35f, 0.9f);
        NDArray out = sketch.mul(shade.mul(strokes).mul(-0.45f).add(1f));

        // paper grain
        NDArray grain = ImageOps.box(ImageOps.hashNoise(m, h, w, 1.91f), 1);
        out = out.mul(grain.mul(0.10f).add(0.93f)).clip(0f, 1f);
        return out.repeat(1, 3);
    }
}

package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * {@code style-pencil}: a graphite sketch. Gray, inverted, Gaussian blurred and color-dodge blended with the gray
 * (which leaves the outlines), darkened, with diagonal hatching in the dark tones and a light paper grain; gray in RGB.
 */
final class PencilModel extends ImageStyleModel {

    static final String ID = "style-pencil";

    PencilModel() {
        super(ID, "Pencil sketch, classical: color-dodge of the gray image with its Gaussian-blurred inverse, hatching in "
                + "dark tones and paper grain; gray output.");
    }

    @Override
    NDArray stylize(NDArray rgb) {
        NDManager m = rgb.getManager();
        Shape shape = rgb.getShape();
        long h = shape.get(2);
        long w = shape.get(3);
        NDArray gray = ImageOps.luma(rgb);
        // the blur is smooth, so it is computed on a reduced copy and enlarged
        int s = ImageOps.workScale(rgb, 360);
        NDArray grayLo = ImageOps.reduce(gray, s);
        double sigma = Math.max(1.5, Math.min(h, w) / 140.0) / s;
        NDArray blur = ImageOps.enlarge(ImageOps.gauss(grayLo, sigma), gray);
        NDArray tone = ImageOps.enlarge(ImageOps.gauss(grayLo, sigma * 2), gray);
        // color dodge of gray with blur(1 - gray): gray / (1 - blur(1 - gray)) = gray / blur(gray); the small offset
        // keeps dark regions from turning sensor noise into a coarse grain (it divides by almost nothing there)
        NDArray sketch = gray.add(0.04f).div(blur.add(0.04f)).clip(0f, 1f).pow(2.2f);

        // hatching: diagonal strokes (a fixed noise field averaged along a diagonal), where the tone is dark
        int len = (int) Math.max(5, Math.round(Math.min(h, w) / 80.0));
        NDArray noise = ImageOps.hashNoise(m, h + len, w + len, 0.37f);
        NDArray strokes = null;
        for (int i = 0; i < len; i++) {
            NDArray part = noise.get(new NDIndex(":, :, {}:{}, {}:{}", i, i + h, len - i, len - i + w));
            strokes = strokes == null ? part : strokes.add(part);
        }
        strokes = ImageOps.smoothstep(strokes.div((float) len), 0.5f, 0.5f + 1.6f / (float) Math.sqrt(len));
        NDArray shade = ImageOps.smoothstep(tone.mul(-1f).add(1f), 0.35f, 0.9f);
        NDArray out = sketch.mul(shade.mul(strokes).mul(-0.45f).add(1f));

        // paper grain from the same noise field, away from the stroke window
        NDArray grain = noise.get(new NDIndex(":, :, {}:{}, 0:{}", len, len + h, w));
        return out.mul(grain.mul(0.08f).add(0.935f)).clip(0f, 1f).repeat(1, 3);
    }
}

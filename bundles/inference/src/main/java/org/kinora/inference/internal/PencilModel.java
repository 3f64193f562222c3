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
        // color dodge of gray with blur(1 - gray): gray / (1 - blur(1 - gray)) = gray / blur(gray); the small offset
        // keeps dark regions from turning sensor noise into a coarse grain (it divides by almost nothing there)
        NDArray sketch = ImageOps.stage(() -> {
            NDArray blur = ImageOps.enlarge(ImageOps.gauss(grayLo, sigma), gray);
            return gray.add(0.04f).divi(blur.addi(0.04f)).clip(0f, 1f).powi(2.2f);
        }, gray, grayLo);
        NDArray shade = ImageOps.stage(() -> {
            NDArray tone = ImageOps.enlarge(ImageOps.gauss(grayLo, sigma * 2), gray);
            return ImageOps.smoothstep(tone.muli(-1f).addi(1f), 0.35f, 0.9f);
        }, gray, grayLo);
        if (grayLo != gray) {
            grayLo.close();
        }
        gray.close();

        // hatching: diagonal strokes (a fixed noise field averaged along a diagonal), where the tone is dark
        int len = (int) Math.max(5, Math.round(Math.min(h, w) / 80.0));
        NDArray noise = ImageOps.hashNoise(m, h + len, w + len, 0.37f);
        NDArray out = ImageOps.stage(() -> {
            NDArray strokes = null;
            for (int i = 0; i < len; i++) {
                NDArray part = noise.get(new NDIndex(":, :, {}:{}, {}:{}", i, i + h, len - i, len - i + w));
                if (strokes == null) {
                    strokes = part;
                } else if (i == 1) {
                    strokes = strokes.add(part);
                } else {
                    strokes.addi(part);
                }
            }
            strokes = ImageOps.smoothstep(strokes.divi((float) len), 0.5f, 0.5f + 1.6f / (float) Math.sqrt(len));
            return sketch.muli(shade.muli(strokes).muli(-0.45f).addi(1f));
        }, noise, sketch, shade);
        shade.close();

        // paper grain from the same noise field, away from the stroke window
        NDArray grain = noise.get(new NDIndex(":, :, {}:{}, 0:{}", len, len + h, w));
        return out.muli(grain.mul(0.08f).addi(0.935f)).clip(0f, 1f).repeat(1, 3);
    }
}

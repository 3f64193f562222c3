package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * {@code style-cartoon}: flat, anime-like colors with ink lines. Edge-preserving smoothing (two passes of a self-guided
 * filter built from box filters, on a reduced copy, brought back to full size by fast guided upsampling), luma quantized
 * to a few bands with boosted, quantized chroma, and dark lines where the smoothed luma has strong Sobel edges
 * (thresholded, slightly thickened), multiplied in.
 */
final class CartoonModel extends ImageStyleModel {

    static final String ID = "style-cartoon";

    private static final float LEVELS = 7f;
    private static final float CHROMA_STEPS = 16f;
    private static final float EPS = 0.006f;

    CartoonModel() {
        super(ID, "Cartoon/anime look, classical: self-guided filter smoothing, luma quantized to " + (int) LEVELS
                + " bands with quantized chroma, and Sobel edge ink lines.");
    }

    @Override
    NDArray stylize(NDArray rgb) {
        int s = ImageOps.workScale(rgb, 360);
        NDArray lo = ImageOps.reduce(rgb, s);
        int r = ImageOps.radius(lo, 110, 2);
        NDArray smoothLo = ImageOps.guidedFilter(ImageOps.guidedFilter(lo, r, EPS), r, EPS);
        NDArray smooth = ImageOps.guidedUpsample(rgb, lo, smoothLo, 2, EPS / 4).clip(0f, 1f);

        // flat colors: luma in bands (with a narrow soft step between bands against stair aliasing), chroma in steps
        // taken from a smoother copy, so that band borders of luma and chroma do not fray
        NDArray y = ImageOps.luma(smooth);
        NDArray t = y.mul(LEVELS);
        NDArray band = t.floor();
        NDArray yq = band.add(ImageOps.smoothstep(t.sub(band), 0.9f, 1f)).add(0.5f).div(LEVELS).clip(0f, 1f);
        NDArray chroma = ImageOps.channels(ImageOps.rgbToYcc(ImageOps.enlarge(ImageOps.box(smoothLo, 1), rgb)), 1, 3);
        NDArray cq = chroma.mul(1.3f * CHROMA_STEPS).add(0.5f).floor().div(CHROMA_STEPS);
        NDArray flat = ImageOps.yccToRgb(NDArrays.concat(new NDList(yq, cq), 1)).clip(0f, 1f);

        // ink: strong edges of the smoothed luma, thresholded softly and thickened
        NDArray ink = ImageOps.smoothstep(ImageOps.sobel(y), 0.07f, 0.16f);
        ink = ImageOps.dilate(ink, ImageOps.radius(rgb, 700, 1));
        return flat.mul(ink.mul(-0.88f).add(1f));
    }
}

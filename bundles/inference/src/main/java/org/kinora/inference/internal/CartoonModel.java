package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * {@code style-cartoon}: flat, anime-like colors with ink lines. Edge-preserving smoothing (two passes of a self-guided
 * filter built from box filters), luma quantized to a few bands with slightly boosted, quantized chroma, and dark lines
 * where the smoothed luma has strong Sobel edges (thresholded, slightly thickened), multiplied in.
 */
final class CartoonModel extends ImageStyleModel {

    static final String ID = "style-cartoon";

    private static final float LEVELS = 7f;
    private static final float CHROMA_STEPS = 20f;

    CartoonModel() {
        super(ID, "Cartoon/anime look, classical: self-guided filter smoothing, luma quantized to " + (int) LEVELS
                + " bands with quantized chroma, and Sobel edge ink lines.");
    }

    @Override
    NDArray stylize(NDArray rgb) {
        int r = ImageOps.radius(rgb, 110, 2);
        NDArray smooth = ImageOps.guidedFilter(rgb, r, 0.006f);
        smooth = ImageOps.guidedFilter(smooth, r, 0.006f);

        // flat colors: luma in bands (with a narrow soft step between bands against stair aliasing), chroma in steps
        NDArray ycc = ImageOps.rgbToYcc(smooth);
        NDArray t = ImageOps.channels(ycc, 0, 1).mul(LEVELS);
        NDArray band = t.floor();
        NDArray y = band.add(ImageOps.smoothstep(t.sub(band), 0.88f, 1f)).add(0.5f).div(LEVELS);
        NDArray c = ImageOps.channels(ycc, 1, 3).mul(1.25f * CHROMA_STEPS).add(0.5f).floor().div(CHROMA_STEPS);
        NDArray flat = ImageOps.yccToRgb(NDArrays.concat(new NDList(y.clip(0f, 1f), c), 1)).clip(0f, 1f);

        // ink: strong edges of the smoothed luma, thresholded softly and thickened
        NDArray edges = ImageOps.sobel(ImageOps.channels(ycc, 0, 1));
        NDArray ink = ImageOps.smoothstep(edges, 0.07f, 0.16f);
        ink = ImageOps.dilate(ink, ImageOps.radius(rgb, 700, 1));
        return flat.mul(ink.mul(-0.88f).add(1f));
    }
}

package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * {@code style-cartoon}: flat, anime-like colors with ink lines. On a reduced copy: edge-avoiding bilateral iterations
 * (which flatten regions without blurring across their borders), luma quantized to a few bands, chroma kept (slightly
 * boosted, not quantized, so small details keep their hue). Brought back to full size by joint bilateral upsampling
 * guided by the full-size picture, so region borders are crisp and nothing bleeds across them (no halos); thin
 * high-contrast details the reduced copy cannot hold (captions, thin lines) are taken back from the source. Ink: thin
 * dark lines on the darker side of strong luma edges only, so a thin bright stroke is outlined, not swallowed.
 */
final class CartoonModel extends ImageStyleModel {

    static final String ID = "style-cartoon";

    private static final float LEVELS = 7f;
    private static final float SATURATION = 1.2f;

    CartoonModel() {
        super(ID, "Cartoon/anime look, classical: edge-avoiding bilateral smoothing, luma quantized to " + (int) LEVELS
                + " bands with faithful chroma, joint bilateral upsampling, and one-sided ink lines on strong edges.");
    }

    @Override
    NDArray stylize(NDArray rgb) {
        int s = ImageOps.workScale(rgb, 360);
        NDArray lo = ImageOps.reduce(rgb, s);

        // flat colors on the reduced copy: luma in bands (a narrow soft step between bands against stair aliasing),
        // chroma as it is, slightly boosted; with the smoothed luma (for the ink)
        NDArray flatYLo = ImageOps.stage(() -> {
            NDArray ycc = ImageOps.rgbToYcc(ImageOps.bilateralAtrous(lo, 3, 150f));
            NDArray ys = ImageOps.channels(ycc, 0, 1);
            NDArray t = ys.mul(LEVELS);
            NDArray band = t.floor();
            NDArray yq = band.add(ImageOps.smoothstep(t.subi(band), 0.93f, 1f)).addi(0.5f).divi(LEVELS).clip(0f, 1f);
            NDArray cq = ImageOps.channels(ycc, 1, 3).mul(SATURATION);
            NDArray flatLo = ImageOps.yccToRgb(NDArrays.concat(new NDList(yq, cq), 1)).clip(0f, 1f);
            return NDArrays.concat(new NDList(flatLo, ys), 1);
        }, lo);

        // to full size, guided by the full-size picture: flat colors and the smoothed luma (for the ink)
        NDArray up = ImageOps.jointBilateralUpsample(rgb, lo, flatYLo, s, 80f);
        if (up != flatYLo) {
            flatYLo.close();
        }
        if (lo != rgb) {
            lo.close();
        }
        return ImageOps.stage(() -> {
            NDArray flat = ImageOps.channels(up, 0, 3);
            NDArray y = ImageOps.channels(up, 3, 4);
            // thin details with a large luma difference to the smoothed picture (text, thin lines) come back from the
            // source
            NDArray res = ImageOps.luma(rgb).subi(y);
            NDArray keep = ImageOps.smoothstep(res.abs(), 0.12f, 0.25f);
            NDArray detailed = flat.add(rgb.sub(flat).muli(keep));
            NDArray yd = y.add(res.muli(keep));
            keep.close();
            res.close();
            up.close();

            // ink: where a clearly brighter pixel is near, i.e. on the darker side of a strong edge, one line per edge
            NDArray ink = ImageOps.smoothstep(ImageOps.dilate(yd, ImageOps.radius(rgb, 500, 1)).subi(yd), 0.07f, 0.16f);
            return detailed.muli(ink.muli(-0.88f).addi(1f));
        }, rgb, up);
    }
}

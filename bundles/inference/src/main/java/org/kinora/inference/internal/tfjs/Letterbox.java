package org.kinora.inference.internal.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * A frame fitted into a model's square input with its aspect kept (TF's {@code resize_with_pad}): scaled so its longer
 * side fills the square, centred, the rest zero. Records where the picture landed so model coordinates map back.
 *
 * @param image   the square input, {@code UINT8 [size, size, 3]}
 * @param size    the square's side
 * @param top     rows of padding above the picture
 * @param left    columns of padding left of the picture
 * @param height  the scaled picture's height in input pixels
 * @param width   the scaled picture's width in input pixels
 */
public record Letterbox(NDArray image, int size, int top, int left, int height, int width) {

    /** Fits {@code frame} ({@code UINT8 [H, W, 3]}) into a {@code size} square; the result is on the frame's manager. */
    public static Letterbox of(NDArray frame, int size) {
        long fh = frame.getShape().get(0);
        long fw = frame.getShape().get(1);
        double scale = size / (double) Math.max(fh, fw);
        int h = (int) Math.max(1, Math.min(size, Math.round(fh * scale)));
        int w = (int) Math.max(1, Math.min(size, Math.round(fw * scale)));
        int top = (size - h) / 2;
        int left = (size - w) / 2;
        try (NDArray f = frame.toType(DataType.FLOAT32, false); NDArray chw = f.transpose(2, 0, 1);
             NDArray scaled = Resample.frame(chw, h, w);
             NDArray padded = scaled.pad(new ai.djl.ndarray.types.Shape(left, size - w - left, top, size - h - top), 0);
             NDArray hwc = padded.transpose(1, 2, 0)) {
            return new Letterbox(toUint8(hwc), size, top, left, h, w);
        }
    }

    /** Resizes {@code frame} ({@code UINT8 [H, W, 3]}) to {@code size x size} ignoring its aspect (for models trained so). */
    public static Letterbox stretch(NDArray frame, int size) {
        long fh = frame.getShape().get(0);
        long fw = frame.getShape().get(1);
        try (NDArray f = frame.toType(DataType.FLOAT32, false); NDArray chw = f.transpose(2, 0, 1);
             NDArray scaled = Resample.frame(chw, size, size);
             NDArray hwc = scaled.transpose(1, 2, 0)) {
            return new Letterbox(toUint8(hwc), size, 0, 0, size, size);
        }
    }

    /** A frame-size plane from a model-size one: {@code [h, w]} float resized to {@code [outH, outW]} (bilinear or area). */
    public static NDArray plane(NDArray hw, int outH, int outW) {
        return Resample.frame(hw, outH, outW);
    }

    /** Maps a model-input row coordinate in [0, 1] to the frame's [0, 1]. */
    public float frameY(float y) {
        return (y * size - top) / height;
    }

    /** Maps a model-input column coordinate in [0, 1] to the frame's [0, 1]. */
    public float frameX(float x) {
        return (x * size - left) / width;
    }

    private static NDArray toUint8(NDArray x) {
        // rounded, not truncated: the input is the nearest 8-bit picture to the resampled one
        try (NDArray r = x.round(); NDArray c = Clamp.apply(r, 0f, 255f)) {
            return c.toType(DataType.UINT8, false);
        }
    }
}

package org.kinora.core.media;

import java.nio.ByteBuffer;

/**
 * One decoded picture as packed 8-bit RGB (R, G, B per pixel, rows top to bottom, {@code width * 3} bytes per row, no
 * padding). The buffer is owned by the frame: a source hands out a new frame each time, so keeping one is safe.
 *
 * @param index  frame number relative to the start of the decoded range (0 = the range's first frame)
 * @param width  width in pixels
 * @param height height in pixels
 * @param rgb    the pixels; position 0, limit {@code width * height * 3}
 */
public record VideoFrame(long index, int width, int height, ByteBuffer rgb) {

    public VideoFrame {
        long need = (long) width * height * 3;
        if (width <= 0 || height <= 0 || rgb == null || rgb.limit() != need) {
            throw new IllegalArgumentException("frame " + index + ": " + width + "x" + height + " needs " + need
                    + " RGB bytes, got " + (rgb == null ? "none" : rgb.limit()));
        }
    }

    /** A frame with the same index and size holding other pixels. */
    public VideoFrame withPixels(ByteBuffer pixels) {
        return new VideoFrame(index, width, height, pixels);
    }

    /** Bytes in the picture. */
    public int byteCount() {
        return width * height * 3;
    }
}

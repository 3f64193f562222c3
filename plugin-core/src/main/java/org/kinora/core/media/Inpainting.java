package org.kinora.core.media;

import java.nio.ByteBuffer;

/**
 * Fills holes in a picture from their surroundings. Registered as an OSGi service by the media bundle (OpenCV's
 * inpainting, Telea 2004, "An Image Inpainting Technique Based on the Fast Marching Method"): a classical algorithm, good
 * for the background uncovered behind a moved subject, not a generative fill. Thread-safe.
 *
 * @since 1.2
 */
public interface Inpainting {

    /**
     * {@code frame} with the pixels where {@code mask} is non-zero filled from the pixels around them; the others are
     * kept exactly.
     *
     * @param mask   one byte per pixel of {@code frame}, rows top to bottom, non-zero = fill
     * @param radius how far around a pixel (in pixels, at least 1) the fill looks
     * @return a new frame with {@code frame}'s index
     * @throws MediaException when the mask does not match the frame's size or the fill fails; the message names the frame
     */
    VideoFrame inpaint(VideoFrame frame, ByteBuffer mask, int radius) throws MediaException;
}

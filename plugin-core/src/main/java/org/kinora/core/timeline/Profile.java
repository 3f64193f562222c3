package org.kinora.core.timeline;

import org.kinora.core.time.FrameRate;

/**
 * A project's video profile: the size and rate every clip on its timeline is rendered at.
 *
 * @param width       frame width in pixels
 * @param height      frame height in pixels
 * @param frameRate   the timeline's exact frame rate
 * @param colorspace  the MLT colorspace number as written in the project (e.g. 709, 601), 0 when unknown
 */
public record Profile(int width, int height, FrameRate frameRate, int colorspace) {
    public Profile {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("profile size must be positive: " + width + "x" + height);
        }
        if (frameRate == null) {
            throw new IllegalArgumentException("profile needs a frame rate");
        }
    }
}

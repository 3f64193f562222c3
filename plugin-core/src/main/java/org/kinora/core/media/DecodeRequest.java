package org.kinora.core.media;

import org.kinora.core.time.FrameRate;

/**
 * Which frames to decode: frames {@code first..last} (inclusive) of the file as seen at {@code rate}, i.e. frame
 * {@code n} is the picture on screen at time {@code n / rate}. The decoder seeks to {@code first}; it does not decode from
 * the start. Frames are scaled to {@code width x height} when those are positive.
 *
 * @param first  first frame, at {@code rate}
 * @param last   last frame (inclusive), at {@code rate}
 * @param rate   the rate frames are numbered at (the project's)
 * @param width  output width, or 0 for the file's own
 * @param height output height, or 0 for the file's own
 */
public record DecodeRequest(long first, long last, FrameRate rate, int width, int height) {
    public DecodeRequest {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad frame range " + first + ".." + last);
        }
    }

    /** Frames requested. */
    public long frameCount() {
        return last - first + 1;
    }
}

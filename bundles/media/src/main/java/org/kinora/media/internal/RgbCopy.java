package org.kinora.media.internal;

import java.nio.ByteBuffer;

import org.kinora.core.media.VideoFrame;

/**
 * Bulk copies between native picture buffers and the packed RGB buffers {@link VideoFrame} owns. Rows are copied one by
 * one only when the native stride has padding; there is never a per-pixel Java loop.
 */
final class RgbCopy {

    private RgbCopy() {
    }

    /**
     * A new packed RGB buffer from {@code h} rows of {@code w * 3} bytes that start every {@code stride} bytes of
     * {@code src} (a native picture with padded rows).
     */
    static ByteBuffer packed(ByteBuffer src, int stride, int w, int h) {
        int row = w * 3;
        if (stride < row || src.capacity() < (long) stride * (h - 1) + row) {
            throw new IllegalStateException(w + "x" + h + " RGB24 does not fit " + src.capacity() + " bytes with stride "
                    + stride);
        }
        ByteBuffer dst = ByteBuffer.allocate(row * h);
        if (stride == row) {
            dst.put(0, src, 0, row * h);
        } else {
            for (int y = 0; y < h; y++) {
                dst.put(y * row, src, y * stride, row);
            }
        }
        return dst;
    }

    /** An independent copy of a packed RGB buffer (each frame handed out owns its pixels). */
    static ByteBuffer copy(ByteBuffer rgb) {
        ByteBuffer dst = ByteBuffer.allocate(rgb.limit());
        dst.put(0, rgb, 0, rgb.limit());
        return dst;
    }

    /** Copies a frame's pixels into {@code dst} (a reused native buffer) without touching the caller's positions. */
    static void into(VideoFrame frame, ByteBuffer dst) {
        dst.put(0, frame.rgb(), 0, frame.byteCount());
    }
}

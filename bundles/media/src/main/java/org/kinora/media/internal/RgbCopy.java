package org.kinora.media.internal;

import java.nio.ByteBuffer;

import org.bytedeco.javacv.Frame;
import org.kinora.core.media.VideoFrame;

/**
 * Bulk copies between JavaCV's reused frame buffers and the packed RGB buffers {@link VideoFrame} owns. Rows are copied
 * one by one only when the decoder's stride has padding; there is never a per-pixel Java loop.
 */
final class RgbCopy {

    private RgbCopy() {
    }

    /**
     * A new packed RGB buffer holding {@code frame}'s picture. The grabber reuses its buffer on the next grab, so a frame
     * we keep must be copied out.
     */
    static ByteBuffer fromGrabbed(Frame frame) {
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int row = w * 3;
        // imageChannels is not checked: JavaCV derives it as stride / width, which padding inflates (80 px -> "4").
        // The grabber was told to output RGB24, so 3 bytes per pixel is what there is.
        ByteBuffer src = (ByteBuffer) frame.image[0];
        int stride = frame.imageStride;
        if (frame.imageDepth != Frame.DEPTH_UBYTE || stride < row || src.limit() < (long) stride * (h - 1) + row) {
            throw new IllegalStateException("decoder gave " + w + "x" + h + " depth " + frame.imageDepth + " stride "
                    + stride + ", not packed RGB24");
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

package org.kinora.cli.internal.apply;

import java.nio.ByteBuffer;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;

/** A stand-in decoder for tests of what sits around media I/O: black frames of the size and count a request asks for. */
public final class BlankFrames {

    private BlankFrames() {
    }

    /** {@code req.frameCount()} black frames of {@code req.width() x req.height()}, as a source describing {@code info}. */
    public static FrameSource of(MediaInfo info, DecodeRequest req) {
        return new FrameSource() {
            long next;

            @Override
            public MediaInfo info() {
                return info;
            }

            @Override
            public long frameCount() {
                return req.frameCount();
            }

            @Override
            public VideoFrame next() {
                return next < req.frameCount() ? new VideoFrame(next++, req.width(), req.height(),
                        ByteBuffer.allocate(req.width() * req.height() * 3)) : null;
            }

            @Override
            public void close() {
            }
        };
    }
}

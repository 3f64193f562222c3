package org.kinora.core.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.VideoFrame;

/** A frame sink for effect tests: keeps every frame written, in order. Not under test itself. */
public final class RecordingSink implements FrameSink {

    /** The frames written so far. */
    public final List<VideoFrame> frames = new ArrayList<>();

    @Override
    public void write(VideoFrame frame) {
        frames.add(frame);
    }

    @Override
    public Path finish() {
        return Path.of("out.mp4");
    }

    @Override
    public long framesWritten() {
        return frames.size();
    }

    @Override
    public void close() {
    }
}

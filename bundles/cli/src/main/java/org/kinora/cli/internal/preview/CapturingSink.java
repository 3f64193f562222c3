package org.kinora.cli.internal.preview;

import java.nio.file.Path;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;

/**
 * A sink that keeps one frame in memory and, once it has it, tells the job to stop: the effect has done all the
 * preview needs.
 */
final class CapturingSink implements FrameSink {

    private final long keep;
    private final PreviewJob job;
    private long written;
    private volatile VideoFrame captured;

    CapturingSink(long keep, PreviewJob job) {
        this.keep = keep;
        this.job = job;
    }

    @Override
    public void write(VideoFrame frame) {
        if (written == keep) {
            captured = PreviewRunner.copy(frame);
            job.done();
        }
        written++;
    }

    @Override
    public Path finish() throws MediaException {
        throw new MediaException("a preview writes no file through its sink");
    }

    @Override
    public long framesWritten() {
        return written;
    }

    /** The frame kept, or null before it came. */
    VideoFrame captured() {
        return captured;
    }

    boolean isDone() {
        return captured != null;
    }

    @Override
    public void close() {
        // nothing native
    }
}

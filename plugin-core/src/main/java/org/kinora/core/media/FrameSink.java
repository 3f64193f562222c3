package org.kinora.core.media;

import java.nio.file.Path;

/**
 * A stream encoder writing frames to a file through a bounded queue. The file appears under its final name only when
 * {@link #finish()} succeeds; closing an unfinished sink discards the partial output.
 */
public interface FrameSink extends AutoCloseable {

    /** Queues one frame for encoding; blocks while the queue is full. Frames must come in index order. */
    void write(VideoFrame frame) throws MediaException, InterruptedException;

    /**
     * Flushes, finalizes the container (including the audio taken from {@link EncodeSettings#audio()}), and moves the
     * file to its final name.
     *
     * @return the written file
     */
    Path finish() throws MediaException, InterruptedException;

    /** Frames written so far. */
    long framesWritten();

    /** Aborts when not finished (deleting partial output) and frees native resources; idempotent. */
    @Override
    void close();
}

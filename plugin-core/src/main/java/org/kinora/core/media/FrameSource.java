package org.kinora.core.media;

/**
 * A stream of decoded frames, read ahead through a bounded queue so decoding overlaps the consumer's work.
 * Memory use does not depend on the number of frames.
 */
public interface FrameSource extends AutoCloseable {

    /** What the underlying file holds. */
    MediaInfo info();

    /** How many frames this source delivers in all. */
    long frameCount();

    /**
     * The next frame, or {@code null} after the last one.
     *
     * @throws MediaException       when the file cannot be decoded; the message names it
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    VideoFrame next() throws MediaException, InterruptedException;

    /** Stops decoding and frees native resources; idempotent. */
    @Override
    void close();
}

package org.kinora.core.media;

import java.nio.file.Path;

/**
 * Decodes and encodes media (FFmpeg underneath). Registered as an OSGi service by the media bundle, the only bundle that
 * holds the native media libraries.
 */
public interface MediaService {

    /**
     * Reads a file's streams and metadata.
     *
     * @throws MediaException when the file is missing or not media; the message names it
     */
    MediaInfo probe(Path file) throws MediaException;

    /**
     * Opens a streaming decoder for a frame range. A still image yields the same picture for every frame of the range.
     *
     * @throws MediaException when the file is missing, not media, or has no video
     */
    FrameSource open(Path file, DecodeRequest request) throws MediaException;

    /**
     * Opens a streaming encoder. The output is written to a temporary name beside {@code output} and renamed on
     * {@link FrameSink#finish()}.
     *
     * @throws MediaException when the encoder cannot be set up; the message names the file and codec
     */
    FrameSink create(Path output, EncodeSettings settings) throws MediaException;
}

package org.kinora.core.media;

import java.nio.file.Path;

import org.kinora.core.time.FrameRate;

/**
 * Audio to carry into an encoded result: the span of {@code file} that frames {@code first..first+frameCount-1} at
 * {@code rate} cover.
 *
 * @param file       the source media
 * @param first      first frame, at {@code rate}
 * @param frameCount number of frames
 * @param rate       the rate frames are counted at
 */
public record AudioSource(Path file, long first, long frameCount, FrameRate rate) {
}

package org.kinora.core.host;

import java.nio.file.Path;

/**
 * Media an effect rendered, ready to be placed into a project.
 *
 * @param file       the media file, absolute
 * @param frameCount frames in the file, at the project's rate
 * @param width      frame width
 * @param height     frame height
 * @param hasAudio   whether the file carries an audio stream
 */
public record ResultMedia(Path file, long frameCount, int width, int height, boolean hasAudio) {
}

package org.kinora.core.media;

import java.nio.file.Path;

import org.kinora.core.time.FrameRate;

/**
 * What a media file holds.
 *
 * @param file            the file
 * @param width           video width (0 without video)
 * @param height          video height (0 without video)
 * @param frameRate       the video stream's rate (25 for stills)
 * @param frameCount      frames in the video stream, estimated from the duration where the container does not say
 * @param durationSeconds duration of the longest stream
 * @param videoCodec      FFmpeg codec name of the video stream, e.g. {@code h264}; {@code null} without video
 * @param pixelFormat     FFmpeg pixel format name, e.g. {@code yuv420p}
 * @param color           color metadata
 * @param still           whether the file is a single still image
 * @param hasAudio        whether there is an audio stream
 * @param sampleRate      audio sample rate (0 without audio)
 * @param audioChannels   audio channels (0 without audio)
 */
public record MediaInfo(Path file, int width, int height, FrameRate frameRate, long frameCount, double durationSeconds,
        String videoCodec, String pixelFormat, ColorInfo color, boolean still, boolean hasAudio, int sampleRate,
        int audioChannels) {
}

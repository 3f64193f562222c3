package org.kinora.core.media;

import org.kinora.core.time.FrameRate;

/**
 * How to encode a result.
 *
 * @param width       frame width
 * @param height      frame height
 * @param rate        frame rate
 * @param codec       video codec
 * @param pixelFormat FFmpeg pixel format to write (e.g. the source's {@code yuv420p}); {@code null} for the codec's usual one
 * @param color       color metadata to tag the stream with
 * @param audio       audio to carry over from the source, or {@code null} for none
 */
public record EncodeSettings(int width, int height, FrameRate rate, VideoCodec codec, String pixelFormat, ColorInfo color,
        AudioSource audio) {

    /** H.264 with the codec's usual pixel format, no color tags, no audio. */
    public static EncodeSettings h264(int width, int height, FrameRate rate) {
        return new EncodeSettings(width, height, rate, VideoCodec.H264, null, ColorInfo.UNKNOWN, null);
    }

    public EncodeSettings withCodec(VideoCodec c) {
        return new EncodeSettings(width, height, rate, c, pixelFormat, color, audio);
    }

    public EncodeSettings withAudio(AudioSource a) {
        return new EncodeSettings(width, height, rate, codec, pixelFormat, color, a);
    }

    public EncodeSettings withColor(String pixFmt, ColorInfo c) {
        return new EncodeSettings(width, height, rate, codec, pixFmt, c, audio);
    }
}

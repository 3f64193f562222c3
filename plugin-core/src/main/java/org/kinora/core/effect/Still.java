package org.kinora.core.effect;

import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;

/**
 * The picture of a still-image clip, as an effect on {@link InputKind#STILL} receives it.
 *
 * @param frame  the picture, decoded at the size the host asked for
 * @param width  the width of the image file itself (the frame's when the source does not say)
 * @param height the height of the image file itself (the frame's when the source does not say)
 */
public record Still(VideoFrame frame, int width, int height) {

    /**
     * Reads the still of an effect's input.
     *
     * @param effect the effect's id, which error messages start with
     * @throws EffectException      naming the effect when there is no input, it cannot be read or it has no picture
     * @throws InterruptedException when the thread is interrupted while decoding
     */
    public static Still read(EffectContext context, String effect) throws EffectException, InterruptedException {
        FrameSource input = context.input();
        if (input == null) {
            throw new EffectException(effect + ": needs a still image clip as input");
        }
        VideoFrame frame;
        try {
            frame = input.next();
        } catch (MediaException e) {
            throw new EffectException(effect + ": reading the still failed: " + e.getMessage(), e);
        }
        if (frame == null) {
            throw new EffectException(effect + ": the still image clip gave no picture");
        }
        MediaInfo info = input.info();
        return info != null && info.width() > 0 && info.height() > 0
                ? new Still(frame, info.width(), info.height())
                : new Still(frame, frame.width(), frame.height());
    }
}

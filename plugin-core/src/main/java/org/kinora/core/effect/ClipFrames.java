package org.kinora.core.effect;

import org.kinora.core.media.FrameSource;

/**
 * Opens the frames of another clip of the project, for an effect that takes a second clip as a parameter (a driving
 * clip for a pose track, say). The host resolves the reference as {@code --clip} does ({@code V2:1}, or a producer id).
 *
 * @since 1.2
 */
@FunctionalInterface
public interface ClipFrames {

    /** A host that offers no other clips. */
    ClipFrames NONE = (ref, width, height) -> {
        throw new EffectException("clip '" + ref + "': this host does not give effects other clips of the project");
    };

    /**
     * A streaming source of the clip's frames from its in point to its out point, at the project's frame rate and size.
     * The caller closes it.
     *
     * @param ref the clip, as {@code TRACK:N} or a producer id
     * @throws EffectException naming the clip when it does not exist, has no pictures, or cannot be decoded
     */
    default FrameSource open(String ref) throws EffectException {
        return open(ref, 0, 0);
    }

    /**
     * As {@link #open(String)}, with the frames scaled to {@code width x height} instead of the project's size (both
     * 0: the project's), e.g. smaller for an analysis that looks at a downscaled picture anyway.
     *
     * @throws EffectException naming the clip when it does not exist, has no pictures, or cannot be decoded
     */
    FrameSource open(String ref, int width, int height) throws EffectException;
}

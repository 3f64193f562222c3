package org.kinora.core.timeline;

import java.nio.file.Path;

/**
 * One clip on a timeline track. All times are frames at the project's frame rate.
 *
 * @param track      the track's name as the editor shows it, e.g. {@code V1}
 * @param number     1-based position among the clips (not blanks) of that track, so {@code V1:3} is {@code track=V1, number=3}
 * @param producerId the id of the producer (or chain) the clip plays in the project file
 * @param resource   the media file, absolute; {@code null} for producers without a file (colors, generators)
 * @param kind       what the producer delivers
 * @param in         first source frame used (inclusive)
 * @param out        last source frame used (inclusive)
 * @param position   timeline frame at which the clip starts
 */
public record Clip(String track, int number, String producerId, Path resource, ClipKind kind, long in, long out, long position) {

    public Clip {
        if (out < in) {
            throw new IllegalArgumentException("clip " + track + ":" + number + " has out " + out + " before in " + in);
        }
    }

    /** Number of frames the clip occupies on the timeline. */
    public long length() {
        return out - in + 1;
    }

    /** The reference users type for this clip, e.g. {@code V1:3}. */
    public String ref() {
        return track + ":" + number;
    }
}

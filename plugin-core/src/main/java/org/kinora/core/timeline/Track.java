package org.kinora.core.timeline;

import java.util.List;

/**
 * A timeline track as the editor shows it.
 *
 * @param name  the display name ({@code V1}, {@code V2}, {@code A1}...), counted from the bottom as the editors do
 * @param kind  video or audio
 * @param clips the clips in timeline order (blanks omitted)
 */
public record Track(String name, TrackKind kind, List<Clip> clips) {
    public Track {
        clips = List.copyOf(clips);
    }
}

package org.kinora.core.timeline;

import java.util.List;
import java.util.Optional;

/**
 * A project's timeline: its profile and its tracks.
 *
 * @param profile the video profile
 * @param tracks  the tracks, video then audio, each from the bottom up
 */
public record Timeline(Profile profile, List<Track> tracks) {
    public Timeline {
        tracks = List.copyOf(tracks);
    }

    /** The track with this display name (case-insensitive). */
    public Optional<Track> track(String name) {
        return tracks.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Timeline length in frames: the end of the last clip on any track. */
    public long length() {
        return tracks.stream().flatMap(t -> t.clips().stream())
                .mapToLong(c -> c.position() + c.length()).max().orElse(0);
    }
}

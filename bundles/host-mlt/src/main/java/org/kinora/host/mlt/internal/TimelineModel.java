package org.kinora.host.mlt.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Timeline;
import org.kinora.core.timeline.TrackKind;
import org.w3c.dom.Element;

/**
 * The timeline as read from the DOM, with the DOM nodes behind each track and clip so editors can change them.
 *
 * @param timeline    the API view
 * @param mainTractor the tractor the editor plays (Shotcut's {@code shotcut=1} tractor, Kdenlive's main or active
 *                    sequence tractor)
 * @param tracks      tracks in the main tractor's order (MLT index order), background/black track excluded
 * @param clips       all clips
 * @param baseDir     the folder relative resources resolve against
 * @param byId        top-level elements by id
 */
record TimelineModel(Timeline timeline, Element mainTractor, List<TrackSite> tracks, List<ClipSite> clips, Path baseDir,
        Map<String, Element> byId) {

    /**
     * One track.
     *
     * @param name      the editor's name ({@code V1}, {@code A1}...)
     * @param kind      video or audio
     * @param mltIndex  the index of its {@code <track>} in the main tractor (transitions address tracks by it)
     * @param trackRef  that {@code <track>} element
     * @param element   the element it plays (Shotcut: a playlist; Kdenlive: a track tractor)
     * @param playlists the playlists holding its clips (Kdenlive: two per track)
     * @param kdenliveIndex the 0-based index Kdenlive groups use (track tractors without black_track), -1 for Shotcut
     */
    record TrackSite(String name, TrackKind kind, int mltIndex, Element trackRef, Element element, List<Element> playlists,
            int kdenliveIndex) {
    }

    /**
     * One clip.
     *
     * @param clip     the API view
     * @param track    its track
     * @param entry    the {@code <entry>} in the playlist
     * @param playlist the playlist holding the entry
     * @param producer the producer/chain element the entry plays, {@code null} when it does not resolve
     */
    record ClipSite(Clip clip, TrackSite track, Element entry, Element playlist, Element producer) {
    }
}

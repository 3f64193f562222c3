package org.kinora.host.mlt.internal;

import java.util.List;

import org.kinora.core.host.ProjectException;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.timeline.TrackKind;
import org.kinora.host.mlt.internal.TimelineModel.ClipSite;
import org.kinora.host.mlt.internal.TimelineModel.TrackSite;
import org.w3c.dom.Element;

/**
 * Overlay placement: the result goes on a NEW video track at the top of the video stack, at the clip's position; the
 * clip below stays untouched. Generated media (made from no clip) goes on such a track the same way, at any frame.
 *
 * <p>The new track is appended after every existing track of the main tractor. That keeps all existing MLT track
 * indexes (transitions' a_track/b_track) and Kdenlive's group indexes ("track:position", counted over track tractors
 * without black_track) valid: nothing before the new track moves. The compositing transition is copied from the
 * project's own transition for its top video track, so the new track blends the way the editor blends.
 */
final class OverlayEditor {

    private final EditContext ctx;

    OverlayEditor(EditContext ctx) {
        this.ctx = ctx;
    }

    void overlay(ClipSite site, ResultMedia media, Provenance prov) throws ProjectException {
        addTopTrack(site.clip().position(), media, prov, site);
    }

    /**
     * New media that no clip made (generated): a new top track with the media at {@code atFrame}, and the timeline
     * made long enough to play it to its end.
     */
    void insert(long atFrame, ResultMedia media, Provenance prov) throws ProjectException {
        if (atFrame < 0) {
            throw new ProjectException("cannot insert " + (media == null || media.file() == null ? "media" : media.file().getFileName())
                    + " at frame " + atFrame + " of " + ctx.file.getFileName() + ": the position must be 0 or more");
        }
        addTopTrack(atFrame, media, prov, null);
        new TimelineExtent(ctx).reach(atFrame + media.frameCount());
    }

    /**
     * Adds the track.
     *
     * @param source the clip the media was made from, {@code null} for generated media
     */
    private void addTopTrack(long position, ResultMedia media, Provenance prov, ClipSite source) throws ProjectException {
        ctx.checkMedia(media);
        long len = media.frameCount();
        Element main = ctx.model.mainTractor();
        List<Element> trackRefs = Dom.children(main, "track");
        int newIndex = trackRefs.size();
        TrackSite topVideo = null;
        int videoCount = 0;
        for (TrackSite t : ctx.model.tracks()) {
            if (t.kind() == TrackKind.VIDEO) {
                topVideo = t;
                videoCount++;
            }
        }

        int kdenliveId = 0;
        int folder = -1;
        if (ctx.format.kdenlive()) {
            folder = ctx.resultsFolder();
            kdenliveId = ctx.maxKdenliveId() + 1;
        }
        Element binClip = ctx.mediaElement(media, prov, source, false, kdenliveId, folder);
        ctx.addToBin(binClip, 0, len - 1);
        Element timelineClip = ctx.mediaElement(media, prov, source, true, kdenliveId, folder);

        // the playlist with a blank up to the position, then the result
        Element playlist = Dom.newElement(ctx.doc, "playlist", "id", ctx.newId("playlist"));
        if (ctx.format == ProjectFormat.SHOTCUT) {
            Dom.props(playlist, "shotcut:video", "1", "shotcut:name", "V" + (videoCount + 1));
        }
        if (position > 0) {
            playlist.appendChild(Dom.newElement(ctx.doc, "blank", "length", MltTime.frames(position)));
        }
        Element entry = Dom.newElement(ctx.doc, "entry", "producer", timelineClip.getAttribute("id"), "in", "0",
                "out", MltTime.frames(len - 1));
        if (ctx.format.kdenlive()) {
            Dom.props(entry, "kdenlive:id", Integer.toString(kdenliveId));
            // Kdenlive's timeline clips sit in a video track's first playlist; the second holds mix overlaps
        }
        playlist.appendChild(entry);

        Element trackProducer;
        Element anchor = EditContext.firstTopLevelUser(main);
        if (ctx.format == ProjectFormat.SHOTCUT) {
            Dom.insertBefore(playlist, anchor);
            trackProducer = playlist;
        } else {
            // a Kdenlive track is a tractor of exactly two playlists
            Element second = Dom.newElement(ctx.doc, "playlist", "id", ctx.newId("playlist"));
            Dom.insertBefore(playlist, anchor);
            MltXml.setAttr(second, "id", ctx.newId("playlist"));
            Dom.insertBefore(second, anchor);
            Element tractor = Dom.newElement(ctx.doc, "tractor", "id", ctx.newId("tractor"), "in", "0",
                    "out", MltTime.frames(position + len - 1));
            Dom.props(tractor, "kdenlive:trackheight", trackHeight(topVideo), "kdenlive:timeline_active", "1",
                    "kdenlive:collapsed", "0", "kdenlive:thumbs_format", "", "kdenlive:audio_rec", "");
            tractor.appendChild(Dom.newElement(ctx.doc, "track", "hide", "audio", "producer", playlist.getAttribute("id")));
            tractor.appendChild(Dom.newElement(ctx.doc, "track", "hide", "audio", "producer", second.getAttribute("id")));
            Dom.insertBefore(tractor, anchor);
            trackProducer = tractor;
        }
        Dom.insertBefore(timelineClip, playlist);

        // the new top track
        Element trackRef = Dom.newElement(ctx.doc, "track", "producer", trackProducer.getAttribute("id"));
        Dom.insertAfter(trackRef, trackRefs.get(trackRefs.size() - 1));
        addTransitions(main, newIndex, topVideo);

        if (ctx.format == ProjectFormat.KDENLIVE_11) {
            bumpCount(main, "kdenlive:sequenceproperties.tracksCount", trackRefs.size() - 1);
            bumpCount(main, "kdenlive:sequenceproperties.tracks", trackRefs.size() - 1);
        }
    }

    private static String trackHeight(TrackSite topVideo) {
        if (topVideo != null) {
            String h = Dom.prop(topVideo.element(), "kdenlive:trackheight");
            if (h != null && !h.isBlank()) {
                return h.trim();
            }
        }
        return "67";
    }

    /** Kdenlive 1.1 counts the sequence's tracks; keep it right when it matched before. */
    private static void bumpCount(Element sequence, String name, int oldCount) {
        String v = Dom.prop(sequence, name);
        if (v != null && v.trim().equals(Integer.toString(oldCount))) {
            Dom.setProp(sequence, name, Integer.toString(oldCount + 1));
        }
    }

    private void addTransitions(Element main, int newIndex, TrackSite topVideo) {
        List<Element> transitions = Dom.children(main, "transition");
        Element mixTemplate = null;
        Element blendTemplate = null;
        int topIndex = topVideo == null ? 0 : topVideo.mltIndex();
        for (Element t : transitions) {
            String service = String.valueOf(Dom.prop(t, "mlt_service")).trim();
            String b = String.valueOf(Dom.prop(t, "b_track")).trim();
            if (service.equals("mix")) {
                if (mixTemplate == null || b.equals(Integer.toString(topIndex))) {
                    mixTemplate = t;
                }
            } else if (isVideoBlend(service) && isTrackComposite(t)) {
                if (blendTemplate == null || b.equals(Integer.toString(topIndex))) {
                    blendTemplate = t;
                }
            }
        }
        Element anchor = transitions.isEmpty() ? Dom.children(main, "track").get(newIndex) : transitions.get(transitions.size() - 1);

        Element mix = null;
        if (ctx.format.kdenlive()) {
            // Kdenlive mixes audio tracks only; a video track gets just its compositing transition
        } else if (mixTemplate != null) {
            mix = (Element) mixTemplate.cloneNode(true);
            MltXml.setAttr(mix, "id", ctx.newId("transition"));
            Dom.setProp(mix, "a_track", "0");
            Dom.setProp(mix, "b_track", Integer.toString(newIndex));
        } else {
            mix = Dom.newElement(ctx.doc, "transition", "id", ctx.newId("transition"));
            Dom.props(mix, "a_track", "0", "b_track", Integer.toString(newIndex), "mlt_service", "mix",
                    "always_active", "1", "sum", "1");
        }
        if (mix != null) {
            Dom.insertAfter(mix, anchor);
            anchor = mix;
        }

        Element blend;
        if (blendTemplate != null) {
            blend = (Element) blendTemplate.cloneNode(true);
            MltXml.setAttr(blend, "id", ctx.newId("transition"));
            if (ctx.format == ProjectFormat.SHOTCUT) {
                // Shotcut composites each video track onto the one below it
                Dom.setProp(blend, "a_track", Integer.toString(topIndex));
            }
            Dom.setProp(blend, "b_track", Integer.toString(newIndex));
            if (Dom.prop(blend, "disable") != null) {
                Dom.setProp(blend, "disable", "0");
            }
        } else {
            blend = Dom.newElement(ctx.doc, "transition", "id", ctx.newId("transition"));
            if (ctx.format == ProjectFormat.SHOTCUT) {
                Dom.props(blend, "a_track", Integer.toString(topIndex), "b_track", Integer.toString(newIndex),
                        "version", "0.1", "mlt_service", "frei0r.cairoblend", "threads", "0", "disable", "0");
            } else {
                Dom.props(blend, "a_track", "0", "b_track", Integer.toString(newIndex), "compositing", "0",
                        "distort", "0", "rotate_center", "0", "mlt_service", "qtblend", "kdenlive_id", "qtblend",
                        "internal_added", "237", "always_active", "1");
            }
        }
        Dom.insertAfter(blend, anchor);
    }

    /** A track-wide compositing transition (not a user composition with its own in/out). */
    private boolean isTrackComposite(Element t) {
        if (ctx.format.kdenlive()) {
            return Dom.propIs(t, "internal_added", "237");
        }
        return !t.hasAttribute("in") && !t.hasAttribute("out");
    }

    private static boolean isVideoBlend(String service) {
        return service.equals("frei0r.cairoblend") || service.equals("qtblend") || service.equals("movit.overlay")
                || service.equals("composite") || service.equals("affine");
    }
}

package org.kinora.host.mlt.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.kinora.core.host.ProjectException;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.ClipKind;
import org.kinora.core.timeline.Profile;
import org.kinora.core.timeline.Timeline;
import org.kinora.core.timeline.Track;
import org.kinora.core.timeline.TrackKind;
import org.kinora.host.mlt.internal.TimelineModel.ClipSite;
import org.kinora.host.mlt.internal.TimelineModel.TrackSite;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads profile, tracks and clips the way each editor shows them.
 *
 * <p>Track names: video tracks count up from the bottom (V1 is the lowest, first in MLT order) in both editors.
 * Shotcut numbers audio tracks in MLT order (A1 just below the video); Kdenlive numbers them from the video
 * outwards, so its LAST audio track tractor is A1. Kdenlive tracks are tractors of two playlists (the second holds
 * clips that overlap in same-track mixes), so a track's clips are the union of both, in timeline order.
 */
final class TimelineReader {

    private static final Set<String> IMAGE_EXT = Set.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp", "svg",
            "tga", "exr", "dpx", "ppm", "pgm", "jxl", "avif", "heic", "kra", "xcf", "psd");
    private static final Set<String> AUDIO_EXT = Set.of("wav", "mp3", "ogg", "oga", "flac", "aac", "m4a", "opus", "wma",
            "aif", "aiff", "ac3", "mka");

    private final Document doc;
    private final ProjectFormat format;
    private final Path file;

    TimelineReader(Document doc, ProjectFormat format, Path file) {
        this.doc = doc;
        this.format = format;
        this.file = file;
    }

    TimelineModel read() throws ProjectException {
        Element root = doc.getDocumentElement();
        Map<String, Element> byId = new LinkedHashMap<>();
        for (Element e : Dom.children(root)) {
            String id = Dom.id(e);
            if (id != null) {
                byId.put(id, e);
            }
        }
        Profile profile = profile(root);
        FrameRate rate = profile.frameRate();
        Path baseDir = baseDir(root);
        Element main = mainTractor(root, byId);

        List<TrackSite> raw = new ArrayList<>();
        List<Element> trackRefs = Dom.children(main, "track");
        int kdenliveIndex = 0;
        for (int i = 0; i < trackRefs.size(); i++) {
            Element ref = trackRefs.get(i);
            Element el = byId.get(ref.getAttribute("producer"));
            if (el == null || isBackground(el, i)) {
                continue;
            }
            TrackKind kind = kindOf(ref, el);
            List<Element> playlists = new ArrayList<>();
            if (el.getTagName().equals("playlist")) {
                playlists.add(el);
            } else {
                for (Element sub : Dom.children(el, "track")) {
                    Element p = byId.get(sub.getAttribute("producer"));
                    if (p != null && p.getTagName().equals("playlist")) {
                        playlists.add(p);
                    }
                }
            }
            raw.add(new TrackSite(null, kind, i, ref, el, playlists, format.kdenlive() ? kdenliveIndex++ : -1));
        }
        List<TrackSite> tracks = name(raw);

        List<ClipSite> clips = new ArrayList<>();
        List<Track> apiTracks = new ArrayList<>();
        for (TrackSite t : tracks) {
            List<Pending> pending = new ArrayList<>();
            for (int pl = 0; pl < t.playlists().size(); pl++) {
                Element playlist = t.playlists().get(pl);
                long pos = 0;
                for (Element item : Dom.children(playlist)) {
                    switch (item.getTagName()) {
                        case "blank" -> pos += time(item.getAttribute("length"), rate, 0, item);
                        case "entry" -> {
                            Element producer = byId.get(item.getAttribute("producer"));
                            long in = time(Dom.attr(item, "in"), rate, producerIn(producer, rate), item);
                            long out = time(Dom.attr(item, "out"), rate, producerOut(producer, rate, in), item);
                            if (out < in) {
                                // a zero-length entry plays nothing; the editors do not show it
                                continue;
                            }
                            pending.add(new Pending(pos, pl, item, playlist, producer, in, out));
                            pos += out - in + 1;
                        }
                        default -> { }
                    }
                }
            }
            pending.sort(Comparator.comparingLong(Pending::pos).thenComparingInt(Pending::playlistIndex));
            List<Clip> trackClips = new ArrayList<>();
            int n = 1;
            for (Pending p : pending) {
                Clip c = new Clip(t.name(), n++, p.entry.getAttribute("producer"), resource(p.producer, baseDir),
                        clipKind(p.producer), p.in, p.out, p.pos);
                trackClips.add(c);
                clips.add(new ClipSite(c, t, p.entry, p.playlist, p.producer));
            }
            apiTracks.add(new Track(t.name(), t.kind(), trackClips));
        }
        // API order: video then audio, each from V1/A1 upwards
        List<Track> ordered = new ArrayList<>(apiTracks);
        ordered.sort(Comparator.comparing((Track t) -> t.kind() == TrackKind.VIDEO ? 0 : 1)
                .thenComparingInt(t -> Integer.parseInt(t.name().substring(1))));
        return new TimelineModel(new Timeline(profile, ordered), main, tracks, clips, baseDir, byId);
    }

    private record Pending(long pos, int playlistIndex, Element entry, Element playlist, Element producer, long in, long out) {
    }

    private List<TrackSite> name(List<TrackSite> raw) {
        List<TrackSite> out = new ArrayList<>();
        int video = 0;
        int audioTotal = (int) raw.stream().filter(t -> t.kind() == TrackKind.AUDIO).count();
        int audio = 0;
        for (TrackSite t : raw) {
            String name;
            if (t.kind() == TrackKind.VIDEO) {
                name = "V" + (++video);
            } else {
                audio++;
                name = "A" + (format.kdenlive() ? audioTotal - audio + 1 : audio);
            }
            out.add(new TrackSite(name, t.kind(), t.mltIndex(), t.trackRef(), t.element(), t.playlists(), t.kdenliveIndex()));
        }
        return out;
    }

    private long time(String value, FrameRate rate, long fallback, Element where) throws ProjectException {
        try {
            return MltTime.toFrames(value, rate, fallback);
        } catch (IllegalArgumentException e) {
            throw new ProjectException(file + ": " + e.getMessage() + " on <" + where.getTagName()
                    + (where.hasAttribute("producer") ? " producer=\"" + where.getAttribute("producer") + "\"" : "") + ">");
        }
    }

    private static long producerIn(Element producer, FrameRate rate) {
        if (producer == null) {
            return 0;
        }
        try {
            return MltTime.toFrames(Dom.attr(producer, "in"), rate, 0);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    private static long producerOut(Element producer, FrameRate rate, long in) {
        if (producer == null) {
            return in - 1;
        }
        try {
            String out = Dom.attr(producer, "out");
            if (out != null) {
                return MltTime.toFrames(out, rate);
            }
            String length = Dom.prop(producer, "length");
            return length == null ? in - 1 : MltTime.toFrames(length, rate) - 1;
        } catch (IllegalArgumentException e) {
            return in - 1;
        }
    }

    private boolean isBackground(Element el, int index) {
        String id = el.getAttribute("id");
        if (format.kdenlive()) {
            return id.equals("black_track") || Dom.propIs(el, "kdenlive:playlistid", "black_track");
        }
        return id.equals("background") || (index == 0 && id.equals("main_bin"));
    }

    private TrackKind kindOf(Element ref, Element el) {
        if (format == ProjectFormat.SHOTCUT) {
            if (Dom.propIs(el, "shotcut:audio", "1")) {
                return TrackKind.AUDIO;
            }
            if (Dom.propIs(el, "shotcut:video", "1")) {
                return TrackKind.VIDEO;
            }
            return "video".equals(ref.getAttribute("hide")) ? TrackKind.AUDIO : TrackKind.VIDEO;
        }
        if (Dom.propIs(el, "kdenlive:audio_track", "1")) {
            return TrackKind.AUDIO;
        }
        List<Element> subs = Dom.children(el, "track");
        if (!subs.isEmpty() && subs.stream().allMatch(s -> "video".equals(s.getAttribute("hide")))) {
            return TrackKind.AUDIO;
        }
        return "video".equals(ref.getAttribute("hide")) ? TrackKind.AUDIO : TrackKind.VIDEO;
    }

    private Profile profile(Element root) throws ProjectException {
        List<Element> ps = Dom.children(root, "profile");
        if (ps.isEmpty()) {
            throw new ProjectException(file + " has no <profile>: cannot tell the project's size and frame rate");
        }
        Element p = ps.get(0);
        try {
            int w = Integer.parseInt(p.getAttribute("width").trim());
            int h = Integer.parseInt(p.getAttribute("height").trim());
            FrameRate r = new FrameRate(Long.parseLong(p.getAttribute("frame_rate_num").trim()),
                    Long.parseLong(p.getAttribute("frame_rate_den").trim()));
            String cs = p.getAttribute("colorspace").trim();
            return new Profile(w, h, r, cs.isEmpty() ? 0 : Integer.parseInt(cs));
        } catch (IllegalArgumentException e) {
            throw new ProjectException(file + " has an unusable <profile> (width, height, frame_rate_num/den, colorspace): "
                    + e.getMessage());
        }
    }

    private Path baseDir(Element root) {
        Path dir = file.toAbsolutePath().getParent();
        String r = root.getAttribute("root");
        if (!r.isBlank()) {
            try {
                Path p = Path.of(r);
                if (p.isAbsolute()) {
                    return p.normalize();
                }
                return dir.resolve(p).normalize();
            } catch (InvalidPathException e) {
                return dir;
            }
        }
        return dir;
    }

    private Element mainTractor(Element root, Map<String, Element> byId) throws ProjectException {
        List<Element> tractors = Dom.children(root, "tractor");
        Element found = null;
        switch (format) {
            case SHOTCUT -> {
                for (Element t : tractors) {
                    if (Dom.propIs(t, "shotcut", "1")) {
                        found = t;
                    }
                }
            }
            case KDENLIVE_104 -> {
                for (Element t : tractors) {
                    for (Element tr : Dom.children(t, "track")) {
                        Element el = byId.get(tr.getAttribute("producer"));
                        if (el != null && isBackground(el, 0)) {
                            found = t;
                        }
                    }
                }
            }
            case KDENLIVE_11 -> {
                Element bin = ProjectFormat.mainBin(doc);
                String active = bin == null ? null : Dom.prop(bin, "kdenlive:docproperties.activetimeline");
                if (active != null && byId.get(active.trim()) != null) {
                    found = byId.get(active.trim());
                } else {
                    for (Element t : tractors) {
                        if (Dom.propIs(t, "kdenlive:projectTractor", "1")) {
                            List<Element> tr = Dom.children(t, "track");
                            if (!tr.isEmpty()) {
                                found = byId.get(tr.get(0).getAttribute("producer"));
                            }
                        }
                    }
                }
            }
            default -> { }
        }
        if (found == null || !found.getTagName().equals("tractor")) {
            throw new ProjectException(file + " is a " + format.id() + " project without a timeline tractor");
        }
        return found;
    }

    static ClipKind clipKind(Element producer) {
        if (producer == null) {
            return ClipKind.OTHER;
        }
        if (!producer.getTagName().equals("producer") && !producer.getTagName().equals("chain")) {
            return ClipKind.OTHER; // nested playlists/tractors (Kdenlive sequences)
        }
        String service = String.valueOf(Dom.prop(producer, "mlt_service")).trim();
        String resource = Dom.prop(producer, "resource");
        String ext = extension(resource);
        if (service.equals("color") || service.equals("colour")) {
            return ClipKind.COLOR;
        }
        if (service.equals("qimage") || service.equals("pixbuf") || service.equals("image")) {
            return ClipKind.IMAGE;
        }
        if (service.startsWith("avformat")) {
            if (IMAGE_EXT.contains(ext)) {
                return ClipKind.IMAGE;
            }
            if (AUDIO_EXT.contains(ext) || "-1".equals(trim(Dom.prop(producer, "video_index")))) {
                return ClipKind.AUDIO;
            }
            return ClipKind.VIDEO;
        }
        return ClipKind.OTHER;
    }

    static Path resource(Element producer, Path baseDir) {
        if (producer == null) {
            return null;
        }
        ClipKind kind = clipKind(producer);
        String service = String.valueOf(Dom.prop(producer, "mlt_service")).trim();
        String raw = service.equals("timewarp") ? Dom.prop(producer, "warp_resource") : Dom.prop(producer, "resource");
        if (raw == null || raw.isBlank() || (kind != ClipKind.VIDEO && kind != ClipKind.IMAGE && kind != ClipKind.AUDIO
                && !service.equals("timewarp"))) {
            return null;
        }
        return resolve(raw.trim(), baseDir);
    }

    static Path resolve(String raw, Path baseDir) {
        try {
            Path p = Path.of(raw);
            return p.isAbsolute() ? p.normalize() : baseDir.resolve(p).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    private static String extension(String resource) {
        if (resource == null) {
            return "";
        }
        String r = resource.trim();
        int q = r.indexOf('?');
        if (q >= 0) {
            r = r.substring(0, q);
        }
        int dot = r.lastIndexOf('.');
        int slash = Math.max(r.lastIndexOf('/'), r.lastIndexOf('\\'));
        return dot > slash ? r.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }
}

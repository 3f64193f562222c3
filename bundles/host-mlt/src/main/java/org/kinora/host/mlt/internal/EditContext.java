package org.kinora.host.mlt.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kinora.core.host.ProjectException;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.timeline.Clip;
import org.kinora.host.mlt.internal.TimelineModel.ClipSite;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What both placement editors share: unique ids, new media elements in each editor's own style, provenance, and the
 * project bin ({@code main_bin}) including Kdenlive's clip ids and folders.
 */
final class EditContext {

    /** Name of the bin folder Kdenlive shows for Kinora's results. */
    static final String RESULTS_FOLDER = "AI results";
    private static final Pattern FOLDER = Pattern.compile("kdenlive:folder\\.(-?\\d+)\\.(\\d+)");

    final Document doc;
    final ProjectFormat format;
    final TimelineModel model;
    final Path file;

    EditContext(Document doc, ProjectFormat format, TimelineModel model, Path file) {
        this.doc = doc;
        this.format = format;
        this.model = model;
        this.file = file;
    }

    /** An id not used anywhere in the document, in MLT's own style ({@code chain7}, {@code playlist4}). */
    String newId(String prefix) {
        int max = -1;
        Pattern p = Pattern.compile(Pattern.quote(prefix) + "(\\d+)");
        for (Element e : Dom.all(doc)) {
            String id = e.getAttribute("id");
            Matcher m = p.matcher(id);
            if (m.matches()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return prefix + (max + 1);
    }

    /** The media's path as the project should store it: relative to the project's base folder when inside it. */
    String resourceFor(Path media) {
        Path abs = media.toAbsolutePath().normalize();
        Path base = model.baseDir().toAbsolutePath().normalize();
        if (abs.startsWith(base)) {
            return base.relativize(abs).toString().replace('\\', '/');
        }
        return abs.toString();
    }

    /** Refuses media that is missing: the project would point at nothing. */
    void checkMedia(ResultMedia media) throws ProjectException {
        if (media == null || media.file() == null || !Files.isRegularFile(media.file())) {
            throw new ProjectException("result media " + (media == null ? null : media.file()) + " does not exist");
        }
        if (media.frameCount() <= 0) {
            throw new ProjectException("result media " + media.file() + " has no frames");
        }
    }

    /**
     * A new producer/chain for the result media, styled like the editor's own: Shotcut plays files through
     * {@code avformat-novalidate} chains, Kdenlive through {@code avformat} with its bin properties.
     *
     * @param source      the clip the media was made from, {@code null} for generated media
     * @param forTimeline whether it is the timeline instance (Kdenlive copies the source instance's
     *                    {@code set.test_audio}/{@code set.test_image} there)
     */
    Element mediaElement(ResultMedia media, Provenance prov, ClipSite source, boolean forTimeline, int kdenliveId,
            int folderId) {
        boolean chain = format == ProjectFormat.SHOTCUT || !Dom.children(doc.getDocumentElement(), "chain").isEmpty();
        String tag = chain ? "chain" : "producer";
        long len = media.frameCount();
        Element e = Dom.newElement(doc, tag, "id", newId(tag), "in", "0", "out", MltTime.frames(len - 1));
        String resource = resourceFor(media.file());
        String name = media.file().getFileName().toString();
        Dom.props(e, "length", MltTime.frames(len), "eof", "pause", "resource", resource);
        if (format == ProjectFormat.SHOTCUT) {
            Dom.props(e, "mlt_service", "avformat-novalidate", "seekable", "1");
            if (!media.hasAudio()) {
                Dom.props(e, "audio_index", "-1");
            }
            Dom.props(e, "video_index", "0", "mute_on_pause", "0", "shotcut:caption", name);
        } else {
            Dom.props(e, "mlt_service", "avformat", "seekable", "1");
            if (!media.hasAudio()) {
                Dom.props(e, "audio_index", "-1");
            }
            Dom.props(e, "video_index", "0", "kdenlive:clipname", name,
                    // kdenlive:clip_type is the audio/video state: 0 = audio+video, 2 = video only
                    "kdenlive:clip_type", media.hasAudio() ? "0" : "2",
                    "kdenlive:folderid", Integer.toString(folderId), "kdenlive:id", Integer.toString(kdenliveId));
            if (format == ProjectFormat.KDENLIVE_11) {
                Dom.props(e, "kdenlive:control_uuid", "{" + UUID.randomUUID() + "}");
            }
            if (forTimeline && source != null && source.producer() != null) {
                for (String p : List.of("set.test_audio", "set.test_image")) {
                    String v = Dom.prop(source.producer(), p);
                    if (v != null) {
                        Dom.props(e, p, v);
                    }
                }
            } else if (forTimeline && source == null) {
                // generated media goes on a video track: Kdenlive marks such instances picture-only
                Dom.props(e, "set.test_audio", "1", "set.test_image", "0");
            }
        }
        provenance(e, prov, source);
        return e;
    }

    /** Writes {@code kinora:*} provenance; {@code source} is the clip the media was made from, {@code null} for generated media. */
    void provenance(Element e, Provenance prov, ClipSite source) {
        Dom.props(e, "kinora:effect", prov.effectId(), "kinora:job", prov.jobId(),
                "kinora:params", prov.paramsJson() == null ? "{}" : prov.paramsJson());
        if (source == null) {
            return;
        }
        Clip c = source.clip();
        String originalResource = source.producer() == null ? "" : String.valueOf(Dom.prop(source.producer(), "resource"));
        Dom.props(e, "kinora:original.producer", c.producerId(), "kinora:original.resource", originalResource,
                "kinora:original.in", MltTime.frames(c.in()), "kinora:original.out", MltTime.frames(c.out()));
        if (format.kdenlive() && source.producer() != null && Dom.prop(source.producer(), "kdenlive:id") != null) {
            Dom.props(e, "kinora:original.kdenlive_id", Dom.prop(source.producer(), "kdenlive:id").trim());
        }
    }

    // ------------------------------------------------------------------ bin

    /** {@code main_bin}, created (retained, before the main tractor) when a Shotcut file has none. */
    Element mainBin() {
        Element bin = ProjectFormat.mainBin(doc);
        if (bin == null) {
            bin = Dom.newElement(doc, "playlist", "id", "main_bin");
            Dom.props(bin, "xml_retain", "1");
            Dom.insertBefore(bin, firstTopLevelUser(model.mainTractor()));
        }
        return bin;
    }

    /** The top-level element to insert before so that a new element precedes {@code user}. */
    static Element firstTopLevelUser(Element user) {
        Element e = user;
        while (e.getParentNode() instanceof Element parent && parent != e.getOwnerDocument().getDocumentElement()) {
            e = parent;
        }
        return e;
    }

    /** Adds an element to the bin: defined just before {@code main_bin} (melt only resolves earlier ids), plus an entry. */
    void addToBin(Element producer, long in, long out) {
        Element bin = mainBin();
        Dom.insertBefore(producer, bin);
        Element entry = Dom.newElement(doc, "entry", "producer", producer.getAttribute("id"), "in", MltTime.frames(in),
                "out", MltTime.frames(out));
        List<Element> entries = Dom.children(bin, "entry");
        if (entries.isEmpty()) {
            Dom.appendChild(bin, entry);
        } else {
            Dom.insertAfter(entry, entries.get(entries.size() - 1));
        }
    }

    /**
     * Makes sure the source clip stays in the bin: editors drop clips that are neither on a timeline nor in the bin
     * on their next save, and Kdenlive needs every timeline kdenlive:id in main_bin.
     */
    void keepOriginalInBin(ClipSite source) {
        Element p = source.producer();
        if (p == null || !(p.getTagName().equals("producer") || p.getTagName().equals("chain"))) {
            return;
        }
        Element bin = mainBin();
        String kid = trimmed(Dom.prop(p, "kdenlive:id"));
        String res = trimmed(Dom.prop(p, "resource"));
        for (Element entry : Dom.children(bin, "entry")) {
            Element binClip = model.byId().get(entry.getAttribute("producer"));
            if (binClip == null) {
                continue;
            }
            if (binClip == p) {
                return;
            }
            if (format.kdenlive() && kid != null && kid.equals(trimmed(Dom.prop(binClip, "kdenlive:id")))) {
                return;
            }
            if (!format.kdenlive() && res != null && res.equals(trimmed(Dom.prop(binClip, "resource")))) {
                return;
            }
        }
        Element copy = (Element) p.cloneNode(true);
        MltXml.setAttr(copy, "id", newId(p.getTagName()));
        // timeline-instance switches do not belong on a bin clip
        Dom.removeProp(copy, "set.test_audio");
        Dom.removeProp(copy, "set.test_image");
        long length;
        try {
            length = MltTime.toFrames(Dom.prop(p, "length"), model.timeline().profile().frameRate(), source.clip().out() + 1);
        } catch (IllegalArgumentException e) {
            length = source.clip().out() + 1;
        }
        addToBin(copy, 0, Math.max(length, source.clip().out() + 1) - 1);
    }

    /** Highest Kdenlive clip or folder id in the document (they share one number space). */
    int maxKdenliveId() {
        int max = 0;
        for (Element e : Dom.all(doc)) {
            if (e.getTagName().equals("property")) {
                String name = e.getAttribute("name");
                if (name.equals("kdenlive:id")) {
                    max = Math.max(max, parseInt(e.getTextContent()));
                } else {
                    Matcher m = FOLDER.matcher(name);
                    if (m.matches()) {
                        max = Math.max(max, parseInt(m.group(2)));
                    }
                }
            }
        }
        return max;
    }

    /** The id of the "AI results" bin folder, created at the bin's top level when absent. */
    int resultsFolder() {
        Element bin = mainBin();
        Element lastFolder = null;
        for (Element p : Dom.children(bin, "property")) {
            Matcher m = FOLDER.matcher(p.getAttribute("name"));
            if (m.matches()) {
                lastFolder = p;
                if (m.group(1).equals("-1") && RESULTS_FOLDER.equals(p.getTextContent().trim())) {
                    return parseInt(m.group(2));
                }
            }
        }
        int id = maxKdenliveId() + 1;
        Element prop = Dom.newProp(doc, "kdenlive:folder.-1." + id, RESULTS_FOLDER);
        if (lastFolder != null) {
            Dom.insertAfter(prop, lastFolder);
        } else if (!Dom.children(bin).isEmpty()) {
            Dom.insertBefore(prop, Dom.children(bin).get(0));
        } else {
            Dom.appendChild(bin, prop);
        }
        return id;
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }
}

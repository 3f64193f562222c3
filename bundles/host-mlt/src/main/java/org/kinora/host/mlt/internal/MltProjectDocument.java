package org.kinora.host.mlt.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Collectors;

import org.kinora.core.host.PlacementMode;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.ProjectException;
import org.kinora.core.host.Provenance;
import org.kinora.core.host.ResultMedia;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Timeline;
import org.kinora.core.timeline.Track;
import org.kinora.host.mlt.internal.AtomicProjectWriter.Fingerprint;
import org.kinora.host.mlt.internal.TimelineModel.ClipSite;
import org.w3c.dom.Element;

/**
 * An open Shotcut or Kdenlive project. Edits change the DOM in memory; the timeline is re-read after each edit so
 * that {@link #timeline()} and {@link #clip(String)} always describe what {@link #save(Path)} would write.
 */
final class MltProjectDocument implements ProjectDocument {

    private final Path file;
    private final MltXml.Parsed parsed;
    private final ProjectFormat format;
    private Fingerprint fingerprint;
    private TimelineModel model;

    MltProjectDocument(Path file, MltXml.Parsed parsed, ProjectFormat format, Fingerprint fingerprint) throws ProjectException {
        this.file = file;
        this.parsed = parsed;
        this.format = format;
        this.fingerprint = fingerprint;
        this.model = new TimelineReader(parsed.doc(), format, file).read();
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public String format() {
        return format.id();
    }

    @Override
    public synchronized Timeline timeline() {
        return model.timeline();
    }

    @Override
    public synchronized Clip clip(String ref) throws ProjectException {
        Objects.requireNonNull(ref, "ref");
        String r = ref.trim();
        int colon = r.lastIndexOf(':');
        if (colon > 0 && r.substring(colon + 1).matches("\\d+")) {
            String trackName = r.substring(0, colon);
            Track track = model.timeline().track(trackName).orElse(null);
            if (track != null) {
                int n = Integer.parseInt(r.substring(colon + 1));
                if (n >= 1 && n <= track.clips().size()) {
                    return track.clips().get(n - 1);
                }
                throw unknown(ref, "track " + track.name() + " has " + clips(track.clips().size()));
            }
        }
        for (ClipSite s : model.clips()) {
            if (s.clip().producerId().equals(r)) {
                return s.clip();
            }
        }
        throw unknown(ref, null);
    }

    private ProjectException unknown(String ref, String detail) {
        String tracks = model.timeline().tracks().stream().map(t -> t.name() + " (" + clips(t.clips().size()) + ")")
                .collect(Collectors.joining(", "));
        return new ProjectException("no clip '" + ref + "' in " + file + (detail == null ? "" : ": " + detail)
                + "; use TRACK:N or a producer id; tracks: " + (tracks.isEmpty() ? "none" : tracks));
    }

    private static String clips(int n) {
        return n + (n == 1 ? " clip" : " clips");
    }

    @Override
    public synchronized void place(Clip clip, ResultMedia media, Provenance provenance, PlacementMode mode)
            throws ProjectException {
        Objects.requireNonNull(clip, "clip");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(mode, "mode");
        ClipSite site = model.clips().stream().filter(s -> s.clip().equals(clip)).findFirst()
                .orElseThrow(() -> new ProjectException("clip " + clip.ref() + " (producer " + clip.producerId()
                        + ") is not in " + file + " as it is now; look it up again with clip()"));
        if (media == null) {
            throw new ProjectException("no result media given for clip " + clip.ref());
        }
        edit(ctx -> {
            if (mode == PlacementMode.REPLACE) {
                new ReplaceEditor(ctx).replace(site, media, provenance);
            } else {
                new OverlayEditor(ctx).overlay(site, media, provenance);
            }
        });
    }

    @Override
    public synchronized void insert(ResultMedia media, long atFrame, Provenance provenance) throws ProjectException {
        Objects.requireNonNull(provenance, "provenance");
        if (media == null) {
            throw new ProjectException("no media given to insert into " + file);
        }
        edit(ctx -> new OverlayEditor(ctx).insert(atFrame, media, provenance));
    }

    /** One change to the DOM; a failure half-way puts the document back as it was. */
    private void edit(Edit change) throws ProjectException {
        Element before = (Element) parsed.doc().getDocumentElement().cloneNode(true);
        try {
            change.apply(new EditContext(parsed.doc(), format, model, file));
            model = new TimelineReader(parsed.doc(), format, file).read();
        } catch (ProjectException | RuntimeException e) {
            parsed.doc().replaceChild(before, parsed.doc().getDocumentElement());
            model = new TimelineReader(parsed.doc(), format, file).read();
            throw e;
        }
    }

    @FunctionalInterface
    private interface Edit {
        void apply(EditContext ctx) throws ProjectException;
    }

    @Override
    public synchronized Path save(Path target) throws ProjectException {
        Objects.requireNonNull(target, "target");
        Path t = target.toAbsolutePath().normalize();
        Element root = parsed.doc().getDocumentElement();
        // Shotcut resolves relative resources against the file's folder; a copy saved elsewhere needs the old folder
        // as root or every clip goes missing.
        boolean addRoot = !root.hasAttribute("root") && t.getParent() != null
                && !t.getParent().equals(file.getParent());
        if (addRoot) {
            MltXml.setAttr(root, "root", model.baseDir().toString());
        }
        byte[] bytes;
        try {
            bytes = MltXml.serialize(parsed);
        } finally {
            if (addRoot) {
                root.removeAttribute("root");
            }
        }
        Fingerprint after = AtomicProjectWriter.write(t, bytes, file, fingerprint);
        if (after != null) {
            fingerprint = after;
        }
        return t;
    }

    /** The DOM-backed timeline (tests check Kdenlive group indexes against it). */
    synchronized TimelineModel model() {
        return model;
    }

    /** The bytes {@link #save} would write (for tests and previews). */
    synchronized byte[] serialize() {
        return MltXml.serialize(parsed);
    }
}

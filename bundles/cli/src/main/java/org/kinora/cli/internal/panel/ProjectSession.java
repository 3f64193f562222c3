package org.kinora.cli.internal.panel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.kinora.core.KinoraException;
import org.kinora.core.host.ProjectDocument;
import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.ClipKind;
import org.kinora.core.timeline.Profile;
import org.kinora.core.timeline.Timeline;
import org.kinora.core.timeline.Track;

/**
 * The project open in the panel: its timeline as the panel shows it, and thumbnails of its clips (made on first
 * request, only for clips of this project).
 */
final class ProjectSession {

    private final ProjectDocument document;
    private final Map<String, String> thumbnails = new ConcurrentHashMap<>();

    ProjectSession(ProjectDocument document) {
        this.document = document;
    }

    ProjectDocument document() {
        return document;
    }

    Path file() {
        return document.file();
    }

    /** The thumbnail address of a clip of this project, made now if needed. */
    String thumbnail(String ref, Stills stills, MediaRegistry registry) throws KinoraException, InterruptedException {
        Clip c = document.clip(ref);
        String cached = thumbnails.get(c.ref());
        if (cached != null) {
            return cached;
        }
        if (c.resource() == null || c.kind() == ClipKind.AUDIO || c.kind() == ClipKind.COLOR || c.kind() == ClipKind.OTHER) {
            throw new KinoraException("clip " + c.ref() + " has no pictures to show");
        }
        Profile p = document.timeline().profile();
        Path png = registry.newFile("png");
        // the middle of the clip says more about it than its first frame (often a fade from black)
        long mid = c.in() + c.length() / 2;
        stills.write(c.resource(), c.kind() == ClipKind.IMAGE ? 0 : mid, p.frameRate(), p.width(), p.height(), Stills.THUMB, png);
        String url = registry.register(png);
        thumbnails.put(c.ref(), url);
        return url;
    }

    /** The timeline as JSON-ready maps. */
    Map<String, Object> json() {
        Timeline t = document.timeline();
        Profile p = t.profile();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("project", document.file().toString());
        m.put("name", document.file().getFileName().toString());
        m.put("format", document.format());
        m.put("width", p.width());
        m.put("height", p.height());
        m.put("fps", p.frameRate().fps());
        m.put("length", t.length());
        List<Object> tracks = new ArrayList<>();
        for (Track tr : t.tracks()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", tr.name());
            tm.put("kind", tr.kind().name().toLowerCase(java.util.Locale.ROOT));
            List<Object> clips = new ArrayList<>();
            for (Clip c : tr.clips()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("ref", c.ref());
                cm.put("producer", c.producerId());
                cm.put("name", c.resource() == null ? c.producerId() : c.resource().getFileName().toString());
                cm.put("kind", c.kind().name().toLowerCase(java.util.Locale.ROOT));
                cm.put("in", c.in());
                cm.put("out", c.out());
                cm.put("position", c.position());
                cm.put("length", c.length());
                boolean pictures = c.resource() != null && (c.kind() == ClipKind.VIDEO || c.kind() == ClipKind.IMAGE);
                cm.put("pictures", pictures);
                clips.add(cm);
            }
            tm.put("clips", clips);
            tracks.add(tm);
        }
        m.put("tracks", tracks);
        return m;
    }
}

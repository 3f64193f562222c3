package org.kinora.cli.internal.panel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.kinora.core.timeline.Clip;
import org.kinora.core.timeline.Timeline;
import org.kinora.core.timeline.Track;

/** What an apply changed on the timeline, in the editor's words: one line per clip that plays something else, and new tracks. */
final class ProjectChanges {

    private ProjectChanges() {
    }

    static List<String> between(Timeline before, Timeline after, Path projectDir) {
        List<String> out = new ArrayList<>();
        for (Track t : after.tracks()) {
            Track old = before.track(t.name()).filter(o -> o.kind() == t.kind()).orElse(null);
            if (old == null) {
                out.add("new track " + t.name() + " with " + t.clips().size() + " clip" + (t.clips().size() == 1 ? "" : "s") + ": "
                        + String.join(", ", t.clips().stream().map(c -> name(c, projectDir) + " at frame " + c.position()).toList()));
                continue;
            }
            for (Clip c : t.clips()) {
                Clip was = old.clips().stream().filter(o -> o.position() == c.position()).findFirst().orElse(null);
                if (was == null) {
                    out.add(c.ref() + " added: " + name(c, projectDir) + " at frame " + c.position());
                } else if (!Objects.equals(was.resource(), c.resource()) || !was.producerId().equals(c.producerId())) {
                    out.add(c.ref() + " now plays " + name(c, projectDir) + " (was " + name(was, projectDir) + ", kept in the bin), frames "
                            + c.position() + ".." + (c.position() + c.length() - 1));
                }
            }
        }
        return out;
    }

    private static String name(Clip c, Path dir) {
        if (c.resource() == null) {
            return c.producerId();
        }
        Path r = c.resource();
        return dir != null && r.startsWith(dir) ? dir.relativize(r).toString() : r.getFileName().toString();
    }
}

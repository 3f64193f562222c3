package org.kinora.cli.internal.panel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.cli.internal.apply.GenerateRunner;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.job.Progress;

/**
 * One effect run queued from the panel, from its request to its result (and its apply and undo): an effect on a clip
 * ({@link ApplyRunner}: rendered first, placed when the user applies it), or a generated clip ({@link GenerateRunner}:
 * placed on a new track when it is done, as {@code kinora generate} does).
 */
final class PanelJob {

    /** Where a panel job is. */
    enum State {
        QUEUED, RUNNING, RENDERED, CANCELLED, FAILED, APPLIED, UNDONE
    }

    final ApplyJob job = new ApplyJob();
    /** The effect on a clip, or null for a generation. */
    final ApplyRunner.Plan plan;
    /** The generation, or null for an effect on a clip. */
    final GenerateRunner.Plan generation;
    final PlacementMode mode;
    volatile State state = State.QUEUED;
    volatile String error;
    volatile ApplyRunner.Rendered rendered;
    volatile Path media;
    volatile String resultUrl;
    volatile String resultStill;
    volatile List<String> changes = List.of();
    volatile ProjectUndo undo;
    volatile long lastEventNanos;

    PanelJob(ApplyRunner.Plan plan, PlacementMode mode) {
        this.plan = plan;
        this.generation = null;
        this.mode = mode;
    }

    PanelJob(GenerateRunner.Plan generation) {
        this.plan = null;
        this.generation = generation;
        this.mode = PlacementMode.OVERLAY;
    }

    String id() {
        return job.id();
    }

    Path project() {
        return plan != null ? plan.document().file() : generation.document().file();
    }

    /** What the panel shows of it. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id());
        if (plan != null) {
            m.put("effect", plan.effect().info().id());
            m.put("clip", plan.clip().ref());
            m.put("parameters", plan.parameters().asMap());
            m.put("mode", mode.name().toLowerCase(Locale.ROOT));
            m.put("unit", "frames");
        } else {
            double fps = generation.document().timeline().profile().frameRate().fps();
            m.put("effect", generation.effect().info().id());
            m.put("clip", String.format(Locale.ROOT, "new track at %.2f s", generation.atFrame() / fps));
            m.put("parameters", generation.parameters().asMap());
            m.put("mode", "new track");
            m.put("unit", "steps");
        }
        m.put("project", project().toString());
        m.put("state", state.name().toLowerCase(Locale.ROOT));
        m.put("paused", state == State.RUNNING && job.isPaused());
        Progress p = job.progress();
        long total = p.total() > 0 ? p.total() : plan != null ? plan.clip().length() : 0;
        boolean finished = state == State.RENDERED || state == State.APPLIED || state == State.UNDONE;
        long done = finished ? total : p.done();
        m.put("done", done);
        m.put("total", total);
        m.put("percent", finished ? 100 : total > 0 ? Math.round(100.0 * done / total) : 0);
        m.put("fps", p.unitsPerSecond());
        m.put("secondsLeft", p.secondsLeft());
        if (error != null) {
            m.put("error", error);
        }
        if (media != null) {
            m.put("media", media.toString());
        }
        if (resultUrl != null) {
            m.put("mediaUrl", resultUrl);
        }
        if (resultStill != null) {
            m.put("still", resultStill);
        }
        m.put("changes", changes);
        if (undo != null) {
            m.put("backup", undo.backup().toString());
        }
        return m;
    }
}

package org.kinora.cli.internal.panel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.job.Progress;

/** One effect run queued from the panel, from its request to its result (and its apply and undo). */
final class PanelJob {

    /** Where a panel job is. */
    enum State {
        QUEUED, RUNNING, RENDERED, CANCELLED, FAILED, APPLIED, UNDONE
    }

    final ApplyJob job = new ApplyJob();
    final ApplyRunner.Plan plan;
    final PlacementMode mode;
    volatile State state = State.QUEUED;
    volatile String error;
    volatile ApplyRunner.Rendered rendered;
    volatile String resultUrl;
    volatile String resultStill;
    volatile List<String> changes = List.of();
    volatile ProjectUndo undo;
    volatile long lastEventNanos;

    PanelJob(ApplyRunner.Plan plan, PlacementMode mode) {
        this.plan = plan;
        this.mode = mode;
    }

    String id() {
        return job.id();
    }

    /** What the panel shows of it. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id());
        m.put("effect", plan.effect().info().id());
        m.put("clip", plan.clip().ref());
        m.put("project", plan.document().file().toString());
        m.put("parameters", plan.parameters().asMap());
        m.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        Progress p = job.progress();
        long total = p.total() > 0 ? p.total() : plan.clip().length();
        long done = state == State.RENDERED || state == State.APPLIED || state == State.UNDONE ? total : p.done();
        m.put("done", done);
        m.put("total", total);
        m.put("percent", total > 0 ? Math.round(100.0 * done / total) : 0);
        m.put("fps", p.unitsPerSecond());
        m.put("secondsLeft", p.secondsLeft());
        if (error != null) {
            m.put("error", error);
        }
        if (rendered != null) {
            m.put("media", rendered.media().toString());
            m.put("frames", rendered.frames());
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

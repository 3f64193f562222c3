package org.kinora.cli.internal.panel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.kinora.cli.internal.apply.ApplyResult;
import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.cli.internal.apply.GenerateRunner;
import org.kinora.core.KinoraException;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.timeline.Profile;
import org.kinora.core.timeline.Timeline;

/**
 * The panel's job queue: one render at a time, in the order asked, each through {@link ApplyRunner#render} (the code
 * {@code kinora apply} runs) or {@link GenerateRunner#run} (the code {@code kinora generate} runs), with progress sent
 * to every open panel. Pausing the queue stops the next job from starting and pauses the inference service (which frees
 * its device memory); pausing the running job holds it within a batch, its model kept loaded, until it is resumed or
 * cancelled. Cancelling removes a queued job or stops a running one within a batch, and leaves the project untouched.
 */
final class PanelJobs implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PanelJobs.class.getName());
    /** Progress events per job at most every this often (the last one always goes). */
    private static final long EVENT_NANOS = 100_000_000L;

    private final ApplyRunner runner;
    private final GenerateRunner generator;
    private final Consumer<Path> projectWritten;
    private final InferenceService inference;
    private final Stills stills;
    private final MediaRegistry registry;
    private final EventHub events;
    private final Map<String, PanelJob> jobs = new LinkedHashMap<>();
    private final BlockingQueue<PanelJob> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final Object pauseLock = new Object();
    private volatile boolean paused;

    PanelJobs(ApplyRunner runner, GenerateRunner generator, InferenceService inference, Stills stills, MediaRegistry registry,
            EventHub events, Consumer<Path> projectWritten) {
        this.runner = runner;
        this.generator = generator;
        this.projectWritten = projectWritten;
        this.inference = inference;
        this.stills = stills;
        this.registry = registry;
        this.events = events;
        this.worker = new Thread(this::work, "kinora-panel-jobs");
        worker.setDaemon(true);
        worker.start();
    }

    PanelJob submit(ApplyRunner.Plan plan, PlacementMode mode) {
        return submit(new PanelJob(plan, mode));
    }

    PanelJob submit(GenerateRunner.Plan plan) {
        return submit(new PanelJob(plan));
    }

    private PanelJob submit(PanelJob j) {
        synchronized (jobs) {
            jobs.put(j.id(), j);
        }
        publish(j);
        queue.add(j);
        return j;
    }

    Optional<PanelJob> find(String id) {
        synchronized (jobs) {
            return Optional.ofNullable(jobs.get(id));
        }
    }

    List<Map<String, Object>> json() {
        List<Map<String, Object>> out = new ArrayList<>();
        synchronized (jobs) {
            jobs.values().forEach(j -> out.add(j.json()));
        }
        return out;
    }

    /** Cancels a queued or running job; a finished one stays as it is. */
    void cancel(PanelJob j) {
        synchronized (j) {
            if (j.state == PanelJob.State.QUEUED) {
                j.state = PanelJob.State.CANCELLED;
                queue.remove(j);
            } else if (j.state == PanelJob.State.RUNNING) {
                j.job.cancel();
                inference.cancel(j.id());
            }
        }
        publish(j);
    }

    /** Holds the running job at its next progress report. */
    void pause(PanelJob j) throws PanelApi.ApiError {
        synchronized (j) {
            if (j.state != PanelJob.State.RUNNING) {
                throw new PanelApi.ApiError(409, "job " + j.id() + " is " + j.state.name().toLowerCase(java.util.Locale.ROOT)
                        + "; only the running job can be paused (pause the queue to hold the jobs waiting)", null);
            }
            j.job.pause();
        }
        publish(j);
    }

    /** Lets a paused job go on. */
    void resume(PanelJob j) {
        j.job.resume();
        publish(j);
    }

    boolean paused() {
        return paused;
    }

    void pause() throws InterruptedException {
        paused = true;
        try {
            inference.pause();
        } catch (UnsupportedOperationException remote) {
            // a remote backend cannot pause: the queue still holds its next job
        }
        events.publish("queue", Map.of("paused", true));
    }

    void resume() {
        paused = false;
        try {
            inference.resume();
        } catch (UnsupportedOperationException remote) {
            // see pause()
        }
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
        events.publish("queue", Map.of("paused", false));
    }

    void publish(PanelJob j) {
        j.lastEventNanos = System.nanoTime();
        events.publish("job", j.json());
    }

    private void work() {
        try {
            while (true) {
                PanelJob j = queue.take();
                synchronized (pauseLock) {
                    while (paused) {
                        pauseLock.wait();
                    }
                }
                synchronized (j) {
                    if (j.state != PanelJob.State.QUEUED) {
                        continue;
                    }
                    j.state = PanelJob.State.RUNNING;
                }
                run(j);
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    private void run(PanelJob j) throws InterruptedException {
        publish(j);
        j.job.onProgress(p -> {
            boolean last = p.total() > 0 && p.done() >= p.total();
            // the report before a pause holds the job goes out too: it is the last figure the panel sees for a while
            if (last || j.job.isPaused() || System.nanoTime() - j.lastEventNanos > EVENT_NANOS) {
                publish(j);
            }
        });
        try {
            if (j.plan != null) {
                render(j);
            } else {
                generate(j);
            }
        } catch (KinoraException e) {
            j.error = e.getMessage();
            j.state = PanelJob.State.FAILED;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Kinora panel: job " + j.id() + " failed", e);
            j.error = "internal error: " + e;
            j.state = PanelJob.State.FAILED;
        }
        publish(j);
    }

    private void render(PanelJob j) throws KinoraException, InterruptedException {
        ApplyRunner.Rendered r = runner.render(j.plan, j.job, VideoCodec.H264, j.mode);
        if (r == null) {
            j.state = PanelJob.State.CANCELLED;
            return;
        }
        j.rendered = r;
        j.media = r.media();
        j.resultUrl = registry.register(r.media());
        j.resultStill = still(r.media(), r.frames(), j.plan.document().timeline().profile());
        j.state = PanelJob.State.RENDERED;
    }

    /** Generates and places the clip on a new track, as {@code kinora generate} does, keeping what it changed and its undo. */
    private void generate(PanelJob j) throws KinoraException, InterruptedException {
        GenerateRunner.Plan g = j.generation;
        Path project = g.document().file();
        Timeline before = g.document().timeline();
        Set<Path> backups = ProjectUndo.backups(project);
        ApplyResult r = generator.run(g, j.job, VideoCodec.H264);
        if (r == null) {
            j.state = PanelJob.State.CANCELLED;
            return;
        }
        j.media = r.media();
        j.resultUrl = registry.register(r.media());
        Profile p = g.document().timeline().profile();
        j.resultStill = still(r.media(), r.frames(), p);
        j.undo = ProjectUndo.after(project, backups);
        j.changes = ProjectChanges.between(before, g.document().timeline(), project.getParent());
        j.state = PanelJob.State.APPLIED;
        projectWritten.accept(project);
    }

    /** A picture of a result's middle frame, for the queue's list; none when it cannot be made. */
    private String still(Path media, long frames, Profile p) throws InterruptedException {
        Path png = registry.newFile("png");
        try {
            stills.write(media, frames / 2, p.frameRate(), p.width(), p.height(), Stills.THUMB * 2, png);
            return registry.register(png);
        } catch (KinoraException e) {
            return null;
        }
    }

    @Override
    public void close() {
        worker.interrupt();
        synchronized (jobs) {
            jobs.values().forEach(j -> j.job.cancel());
        }
    }
}

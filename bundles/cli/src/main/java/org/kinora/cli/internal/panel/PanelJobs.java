package org.kinora.cli.internal.panel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.core.KinoraException;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.timeline.Profile;

/**
 * The panel's job queue: one render at a time, in the order asked, each through {@link ApplyRunner#render} (the code
 * {@code kinora apply} runs), with progress sent to every open panel. Pausing stops the next job from starting and
 * pauses the inference service (which frees its device memory); cancelling removes a queued job or stops a running one
 * within a batch, and leaves the project untouched.
 */
final class PanelJobs implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PanelJobs.class.getName());
    /** Progress events per job at most every this often (the last one always goes). */
    private static final long EVENT_NANOS = 100_000_000L;

    private final ApplyRunner runner;
    private final InferenceService inference;
    private final Stills stills;
    private final MediaRegistry registry;
    private final EventHub events;
    private final Map<String, PanelJob> jobs = new LinkedHashMap<>();
    private final BlockingQueue<PanelJob> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final Object pauseLock = new Object();
    private volatile boolean paused;

    PanelJobs(ApplyRunner runner, InferenceService inference, Stills stills, MediaRegistry registry, EventHub events) {
        this.runner = runner;
        this.inference = inference;
        this.stills = stills;
        this.registry = registry;
        this.events = events;
        this.worker = new Thread(this::work, "kinora-panel-jobs");
        worker.setDaemon(true);
        worker.start();
    }

    PanelJob submit(ApplyRunner.Plan plan, PlacementMode mode) {
        PanelJob j = new PanelJob(plan, mode);
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
            if (last || System.nanoTime() - j.lastEventNanos > EVENT_NANOS) {
                publish(j);
            }
        });
        try {
            ApplyRunner.Rendered r = runner.render(j.plan, j.job, VideoCodec.H264, j.mode);
            if (r == null) {
                j.state = PanelJob.State.CANCELLED;
            } else {
                j.rendered = r;
                j.resultUrl = registry.register(r.media());
                j.resultStill = still(j, r);
                j.state = PanelJob.State.RENDERED;
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

    /** A picture of the result's middle frame, for the queue's list; none when it cannot be made. */
    private String still(PanelJob j, ApplyRunner.Rendered r) throws InterruptedException {
        Profile p = j.plan.document().timeline().profile();
        Path png = registry.newFile("png");
        try {
            stills.write(r.media(), r.frames() / 2, p.frameRate(), r.width(), r.height(), Stills.THUMB * 2, png);
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

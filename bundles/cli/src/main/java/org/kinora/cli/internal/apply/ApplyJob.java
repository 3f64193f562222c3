package org.kinora.cli.internal.apply;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.kinora.core.job.Job;
import org.kinora.core.job.JobContext;
import org.kinora.core.job.JobState;
import org.kinora.core.job.Progress;

/**
 * One run of an effect on a clip: the {@link Job} the user sees and the {@link JobContext} the effect sees. Throughput
 * is smoothed so the time-left estimate does not jump with every batch.
 *
 * <p>A paused job holds at its next progress report (effects report at least once per frame or batch, so within one
 * batch) until it is resumed or cancelled; the time it spends paused counts neither in its throughput nor in its time
 * left.
 */
public final class ApplyJob implements Job<ApplyResult>, JobContext {

    private final String id;
    private final CompletableFuture<ApplyResult> result = new CompletableFuture<>();
    private final List<Consumer<Progress>> listeners = new CopyOnWriteArrayList<>();
    private volatile JobState state = JobState.QUEUED;
    private volatile Progress progress = Progress.NONE;
    private volatile boolean cancelled;
    private final Object gate = new Object();
    private volatile boolean paused;
    private volatile String failure;
    private long startNanos;
    private long lastNanos;
    private long lastDone;
    private double rate;

    public ApplyJob() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        this.id = "job-" + HexFormat.of().formatHex(b);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String jobId() {
        return id;
    }

    @Override
    public JobState state() {
        return state;
    }

    @Override
    public Progress progress() {
        return progress;
    }

    @Override
    public void cancel() {
        cancelled = true;
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    /** Holds the job at its next progress report until {@link #resume()} or {@link #cancel()}. */
    public void pause() {
        paused = true;
    }

    /** Lets a paused job go on. */
    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    /** Whether the job was asked to pause and not resumed since. */
    public boolean isPaused() {
        return paused;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public CompletionStage<ApplyResult> result() {
        return result;
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void onProgress(Consumer<Progress> listener) {
        listeners.add(listener);
    }

    /** Starts the clock for the throughput and time-left figures; call it before the first progress report. */
    public void started() {
        state = JobState.RUNNING;
        startNanos = System.nanoTime();
        lastNanos = startNanos;
    }

    @Override
    public void progress(long done, long total) {
        report(done, total);
        if (paused && !cancelled) {
            hold();
        }
    }

    /** Waits while paused; the wait is taken out of the clock, so the throughput stays that of the work. */
    private void hold() {
        long from = System.nanoTime();
        synchronized (gate) {
            while (paused && !cancelled) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    // a closing runtime: let the work see the interrupt at its next blocking call
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        long held = System.nanoTime() - from;
        synchronized (this) {
            startNanos += held;
            lastNanos += held;
        }
    }

    private synchronized void report(long done, long total) {
        long now = System.nanoTime();
        double dt = (now - lastNanos) / 1e9;
        if (dt > 0 && done > lastDone) {
            double inst = (done - lastDone) / dt;
            rate = rate == 0 ? inst : 0.7 * rate + 0.3 * inst;
            lastNanos = now;
            lastDone = done;
        }
        double overall = done / Math.max(1e-9, (now - startNanos) / 1e9);
        double fps = rate > 0 ? rate : overall;
        double left = fps > 0 && total > 0 ? (total - done) / fps : -1;
        progress = new Progress(done, total, fps, left);
        for (Consumer<Progress> l : listeners) {
            l.accept(progress);
        }
    }

    /** Seconds since the job started. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    void succeeded(ApplyResult r) {
        state = JobState.SUCCEEDED;
        result.complete(r);
    }

    void cancelledNow() {
        state = JobState.CANCELLED;
        result.complete(null);
    }

    void failed(Throwable t) {
        state = JobState.FAILED;
        failure = t.getMessage();
        result.completeExceptionally(t);
    }
}

package org.kinora.cli.internal.apply;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.kinora.core.KinoraException;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.media.VideoCodec;

/**
 * Runs a planned apply from a terminal command: progress on stderr, and Ctrl-C (or a kill) cancels the job and waits
 * until its partial media is removed before the JVM exits.
 */
public final class TerminalRun {

    /** The message shown when the user cancelled. */
    public static final String CANCELLED = "kinora: cancelled; the project was not changed";

    private TerminalRun() {
    }

    /**
     * Runs {@code plan} as {@code job}.
     *
     * @return the result, or {@code null} when the job was cancelled (the cancellation message has been printed)
     */
    public static ApplyResult run(ApplyRunner runner, ApplyRunner.Plan plan, ApplyJob job, VideoCodec codec, PlacementMode mode,
            InferenceService inference, PrintWriter err) throws KinoraException, InterruptedException {
        return run(job, inference, err, ProgressPrinter.Unit.FRAMES, () -> runner.run(plan, job, codec, mode));
    }

    /** The work of one job; returns {@code null} when the job was cancelled. */
    @FunctionalInterface
    public interface Work {
        ApplyResult run() throws KinoraException, InterruptedException;
    }

    /**
     * Runs {@code work} as {@code job}, printing its progress counted in {@code unit}.
     *
     * @param inference the service whose requests for the job are cancelled with it, or {@code null}
     * @return the result, or {@code null} when the job was cancelled (the cancellation message has been printed)
     */
    public static ApplyResult run(ApplyJob job, InferenceService inference, PrintWriter err, ProgressPrinter.Unit unit, Work work)
            throws KinoraException, InterruptedException {
        ProgressPrinter printer = new ProgressPrinter(err, System.console() != null, unit);
        job.onProgress(printer);
        Thread main = Thread.currentThread();
        AtomicBoolean told = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            job.cancel();
            if (inference != null) {
                inference.cancel(job.id());
            }
            try {
                // wait so the partial media is removed before the JVM halts, then say so: main may not get the chance
                if (job.result().toCompletableFuture().get(10, TimeUnit.SECONDS) == null && told.compareAndSet(false, true)) {
                    printer.finish();
                    err.println(CANCELLED);
                }
            } catch (Exception ignored) {
                // the job failed or is still stopping: it reports its own outcome
            }
        }, "kinora-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        ApplyResult r;
        try {
            r = work.run();
        } finally {
            printer.finish();
            if (Thread.currentThread() == main) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // already exiting: the hook is running
                }
            }
        }
        if (r == null && told.compareAndSet(false, true)) {
            err.println(CANCELLED);
        }
        return r;
    }
}

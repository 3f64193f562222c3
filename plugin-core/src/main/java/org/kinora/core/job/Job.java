package org.kinora.core.job;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Long-running work with an id, a state, progress and a result.
 *
 * @param <R> the result type
 */
public interface Job<R> {

    /** A unique id. */
    String id();

    /** The current state. */
    JobState state();

    /** The latest progress. */
    Progress progress();

    /** Asks the job to stop; it ends as {@link JobState#CANCELLED} within one frame or batch. */
    void cancel();

    /** Completes with the result when the job succeeds, with {@code null} when it was cancelled, exceptionally when it failed. */
    CompletionStage<R> result();

    /** The failure message when the job failed. */
    Optional<String> failure();

    /** Calls {@code listener} on every progress report (from the job's thread). */
    void onProgress(Consumer<Progress> listener);
}

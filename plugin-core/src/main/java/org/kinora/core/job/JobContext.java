package org.kinora.core.job;

/**
 * What running work sees of its job: its id, whether it was cancelled, and where to report progress.
 * Cancellation is a normal outcome: work that sees {@link #isCancelled()} stops and returns without an exception.
 */
public interface JobContext {

    /** The job's id; pass it to the inference service so its requests can be cancelled with the job. */
    String jobId();

    /** Whether the job was cancelled; long work checks this at least once per frame or batch. */
    boolean isCancelled();

    /** Reports units (frames) done out of a total. */
    void progress(long done, long total);

    /**
     * True when a user is waiting on this job (a preview): the effect then sends its inference work as interactive,
     * ahead of final renders.
     *
     * @since 1.1
     */
    default boolean interactive() {
        return false;
    }
}

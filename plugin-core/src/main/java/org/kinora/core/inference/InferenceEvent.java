package org.kinora.core.inference;

/**
 * Something that happened to a request in the scheduler, for progress displays and logs.
 *
 * @param kind      what happened
 * @param requestId the service's id for the request (unique within the service's lifetime)
 * @param jobId     the request's job, or null
 * @param modelId   the model
 * @param device    the device it runs on, or null before it was placed
 * @param progress  fraction of the request done, in [0, 1]
 * @param batchSize how many requests ran together in the micro-batch (STARTED and later), else 0
 * @param message   a failure message (FAILED), else null
 */
public record InferenceEvent(Kind kind, long requestId, String jobId, String modelId, String device, double progress,
                             int batchSize, String message) {

    /** Kinds of events, in the order a request goes through them. */
    public enum Kind {
        QUEUED, STARTED, PROGRESS, COMPLETED, FAILED, CANCELLED
    }
}

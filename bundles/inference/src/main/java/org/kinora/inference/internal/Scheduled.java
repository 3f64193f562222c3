package org.kinora.inference.internal;

import java.util.concurrent.CompletableFuture;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Priority;

/**
 * A queued request: ordered by priority ({@link Priority#INTERACTIVE} first), then by arrival (FIFO). Identity
 * equality, so a queue can remove exactly this entry.
 */
final class Scheduled implements Comparable<Scheduled> {

    final InferenceRequest request;
    final Model model;
    final Priority priority;
    final long sequence;
    final CompletableFuture<InferenceResult> future = new CompletableFuture<>();

    Scheduled(InferenceRequest request, Model model, long sequence) {
        this.request = request;
        this.model = model;
        this.priority = request.priority() == null ? Priority.BATCH : request.priority();
        this.sequence = sequence;
    }

    boolean belongsTo(String jobId) {
        return jobId != null && jobId.equals(request.jobId());
    }

    @Override
    public int compareTo(Scheduled o) {
        int c = Integer.compare(priority.ordinal(), o.priority.ordinal());
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}

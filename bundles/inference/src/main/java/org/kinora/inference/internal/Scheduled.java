package org.kinora.inference.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;

/**
 * A validated request in the scheduler: its model, its inputs in the model's declaration order, its priority and job,
 * and what decides which other requests it may share a micro-batch with. Identity equality, so a queue removes exactly
 * this entry.
 */
final class Scheduled {

    /** The job key of requests without a job: they share one round-robin slot. */
    static final String NO_JOB = "";

    final long id;
    final InferenceRequest request;
    final Model model;
    final Priority priority;
    final String job;
    /** Inputs in the order of {@code model.info().inputs()}. */
    final List<Tensor> inputs;
    /** Rows along dimension 0 shared by every input, or -1 when the request cannot join a micro-batch. */
    final long rows;
    /** Requests with equal keys may be concatenated along dimension 0; null when {@link #rows} is -1. */
    final BatchKey batchKey;
    final CompletableFuture<InferenceResult> future = new CompletableFuture<>();

    /** Same model, equal parameters, and per input the same type and the same shape after dimension 0. */
    record BatchKey(String modelId, Map<String, Object> parameters, List<String> inputs) {
    }

    Scheduled(long id, InferenceRequest request, Model model) {
        this.id = id;
        this.request = request;
        this.model = model;
        this.priority = request.priority() == null ? Priority.BATCH : request.priority();
        this.job = request.jobId() == null ? NO_JOB : request.jobId();
        List<Tensor> ordered = new ArrayList<>();
        for (TensorSpec spec : model.info().inputs()) {
            request.inputs().stream().filter(t -> t.name().equals(spec.name())).findFirst().ifPresent(ordered::add);
        }
        this.inputs = List.copyOf(ordered);
        this.rows = commonRows(inputs);
        if (rows > 0) {
            List<String> shapes = new ArrayList<>();
            for (Tensor t : inputs) {
                long[] s = t.shape();
                shapes.add(t.name() + ":" + t.type() + Arrays.toString(Arrays.copyOfRange(s, 1, s.length)));
            }
            this.batchKey = new BatchKey(model.id(), request.parameters(), List.copyOf(shapes));
        } else {
            this.batchKey = null;
        }
    }

    /** The dimension 0 every input shares, or -1 (a scalar input, differing first dimensions, or no inputs). */
    private static long commonRows(List<Tensor> inputs) {
        long rows = -1;
        for (Tensor t : inputs) {
            long[] s = t.shape();
            if (s.length == 0 || s[0] <= 0 || (rows >= 0 && s[0] != rows)) {
                return -1;
            }
            rows = s[0];
        }
        return rows;
    }

    /** Whether this request may run in one micro-batch with {@code o}. */
    boolean batchesWith(Scheduled o) {
        return batchKey != null && batchKey.equals(o.batchKey);
    }

    boolean belongsTo(String jobId) {
        return jobId != null && jobId.equals(request.jobId());
    }

    String modelId() {
        return model.id();
    }

    @Override
    public String toString() {
        return "request " + id + " (model '" + model.id() + "', job '" + job + "', " + priority + ")";
    }
}

package org.kinora.effect.generate.internal;

import java.util.List;
import java.util.Map;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.job.JobContext;

/** Calls to the inference service on behalf of one job: queued with its id and priority, waited for with cancellation. */
final class ModelCalls {

    private final InferenceService inference;
    private final JobContext job;

    ModelCalls(InferenceService inference, JobContext job) {
        this.inference = inference;
        this.job = job;
    }

    /**
     * Runs a model; {@code null} when the job was cancelled meanwhile.
     *
     * @throws InferenceException when the model is missing or fails
     */
    InferenceResult call(String model, List<Tensor> inputs, Map<String, Object> parameters) throws InferenceException, InterruptedException {
        Priority priority = job.interactive() ? Priority.INTERACTIVE : Priority.BATCH;
        return InferenceService.await(inference.submit(new InferenceRequest(model, inputs, parameters, job.jobId(), priority)), model, job);
    }

    JobContext job() {
        return job;
    }
}

package org.kinora.core.inference;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kinora.core.job.JobContext;

/**
 * The shared inference service: it owns the compute devices and the models, and decides where and in which order work
 * runs. Effects submit tensor work; they never touch an engine directly. Registered as an OSGi service by the inference
 * bundle.
 */
public interface InferenceService {

    /** The devices the engine reports, with the one(s) in use marked active. */
    List<DeviceInfo> devices();

    /** The models that can be run now. */
    List<ModelInfo> models();

    /**
     * Queues a model call. The future completes with the outputs, exceptionally with an {@link InferenceException} when the
     * call fails, or is cancelled when its job is cancelled before it ran. The input tensors' buffers are read when the
     * request runs (later, and again if a remote call is retried): leave them unchanged until the future completes.
     */
    CompletableFuture<InferenceResult> submit(InferenceRequest request);

    /**
     * Runs a model call and waits for it.
     *
     * @throws InferenceException    when the call fails
     * @throws CancellationException when its job was cancelled
     */
    default InferenceResult infer(InferenceRequest request) throws InferenceException, InterruptedException {
        try {
            return submit(request).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InferenceException ie) {
                throw ie;
            }
            throw new InferenceException("model '" + request.modelId() + "' failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Cancels every request of a job: queued ones are removed, running ones have their futures cancelled and the running
     * call stops at its next step once every request in it was cancelled.
     *
     * @return how many requests were cancelled
     */
    int cancel(String jobId);

    /**
     * Stops starting work: a running batch finishes, queued requests stay queued, and every resident model is unloaded
     * so the device memory is free for something else (another application, a bigger model). Returns when that is done.
     */
    default void pause() throws InterruptedException {
        throw new UnsupportedOperationException("this inference service cannot pause");
    }

    /** Starts work again after {@link #pause()}; models load again as requests need them. */
    default void resume() {
        throw new UnsupportedOperationException("this inference service cannot pause");
    }

    /** A snapshot of the queue and the devices. */
    default SchedulerStatus status() {
        return new SchedulerStatus(false, java.util.Map.of(), 0, List.of());
    }

    /** Starts sending scheduler events to {@code listener}. */
    default void addListener(InferenceListener listener) {
    }

    /** Stops sending events to {@code listener}. */
    default void removeListener(InferenceListener listener) {
    }

    /**
     * Waits for a call {@link #submit}ted on behalf of a job, looking at the job's cancellation every 100 ms.
     *
     * @param modelId the model called, named in errors
     * @return the result, or {@code null} when the job was cancelled meanwhile (the call is then cancelled too)
     * @throws InferenceException when the call failed, or the service cancelled it while the job was not cancelled
     * @since 1.3
     */
    static InferenceResult await(CompletableFuture<InferenceResult> call, String modelId, JobContext job)
            throws InferenceException, InterruptedException {
        while (true) {
            if (job.isCancelled()) {
                call.cancel(false);
                return null;
            }
            try {
                return call.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // look at the job again
            } catch (CancellationException e) {
                if (job.isCancelled()) {
                    return null;
                }
                throw new InferenceException("model '" + modelId + "': the call was cancelled by the inference service", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof InferenceException ie) {
                    throw ie;
                }
                throw new InferenceException("model '" + modelId + "': " + c, c);
            }
        }
    }
}

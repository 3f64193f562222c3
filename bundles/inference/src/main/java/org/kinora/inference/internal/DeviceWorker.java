package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;

/**
 * One thread per active device: takes requests from the shared priority queue and runs them one at a time, each in its
 * own {@link NDManager} scope (everything a request allocates is freed when it ends).
 */
final class DeviceWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(DeviceWorker.class.getName());

    private final Device device;
    private final BlockingQueue<Scheduled> queue;
    private final Thread thread;
    private volatile boolean running = true;

    DeviceWorker(Device device, BlockingQueue<Scheduled> queue) {
        this.device = device;
        this.queue = queue;
        this.thread = new Thread(this, "kinora-inference-" + device);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops taking work; a running request finishes first. */
    void stop(long waitMillis) throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(waitMillis);
    }

    @Override
    public void run() {
        NDManager base;
        try {
            base = Djl.call(() -> NDManager.newBaseManager(device, Djl.ENGINE));
        } catch (Exception | LinkageError e) {
            LOG.log(Level.SEVERE, "inference worker for " + device + " could not start", e);
            failQueued(new InferenceException("device " + device + " could not start: " + e, e));
            return;
        }
        try {
            while (running) {
                Scheduled s;
                try {
                    s = queue.take();
                } catch (InterruptedException e) {
                    break;
                }
                if (!s.future.isDone()) {
                    execute(s, base);
                }
            }
        } finally {
            try {
                Djl.call(() -> {
                    base.close();
                    return null;
                });
            } catch (Exception e) {
                LOG.log(Level.FINE, "closing the " + device + " manager", e);
            }
        }
    }

    private void failQueued(InferenceException e) {
        Scheduled s;
        while ((s = queue.poll()) != null) {
            s.future.completeExceptionally(e);
        }
    }

    private final java.util.Map<String, LoadedModel> loaded = new java.util.HashMap<>();

    private void execute(Scheduled s, NDManager base) {
        String id = s.model.id();
        try {
            InferenceResult result = Djl.call(() -> {
                LoadedModel m = loaded.get(id);
                if (m == null) {
                    m = s.model.load(device);
                    loaded.put(id, m);
                }
                try (NDManager scope = base.newSubManager(device)) {
                    List<Tensor> inputs = new ArrayList<>();
                    for (TensorSpec spec : s.model.info().inputs()) {
                        inputs.add(s.request.inputs().stream().filter(x -> x.name().equals(spec.name())).findFirst().orElseThrow());
                    }
                    List<Tensor> outputs = m.call(scope, inputs, s.request.parameters(), RunControl.NONE);
                    return new InferenceResult(id, device.toString(), outputs);
                }
            });
            s.future.complete(result);
        } catch (InferenceException e) {
            s.future.completeExceptionally(e);
        } catch (Exception | OutOfMemoryError | LinkageError e) {
            s.future.completeExceptionally(new InferenceException("model '" + id + "' failed on " + device + ": " + e, e));
        }
    }
}

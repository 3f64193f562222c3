package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kinora.core.inference.InferenceEvent.Kind;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Tensor;

/**
 * One thread per active device: takes micro-batches from the {@link Scheduler} and runs them one at a time, each call in
 * its own {@link NDManager} scope (everything a call allocates is freed when it ends). The device's resident models
 * ({@link ResidentModels}) are loaded, used and unloaded on this thread only.
 */
final class DeviceWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(DeviceWorker.class.getName());

    private final Device device;
    private final String deviceName;
    private final Scheduler scheduler;
    private final ResidentModels residents;
    private final Scheduler.Slot slot;
    private final Thread thread;

    DeviceWorker(Device device, long budgetBytes, Scheduler scheduler) {
        this.device = device;
        this.deviceName = device.toString();
        this.scheduler = scheduler;
        this.residents = new ResidentModels(device, budgetBytes);
        this.slot = scheduler.register(deviceName, residents);
        this.thread = new Thread(this, "kinora-inference-" + device);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Waits for the thread to end after {@link Scheduler#close}; a call that ignores its checkpoints is interrupted. */
    void join(long waitMillis) throws InterruptedException {
        thread.join(waitMillis);
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(waitMillis);
        }
    }

    @Override
    public void run() {
        NDManager base;
        try {
            base = Djl.call(() -> NDManager.newBaseManager(device, Djl.ENGINE));
        } catch (Exception | LinkageError e) {
            LOG.log(Level.SEVERE, "inference worker for " + device + " could not start", e);
            scheduler.exited(slot, new InferenceException("device " + device + " could not start: " + e, e));
            return;
        }
        try {
            while (true) {
                Scheduler.Work work = scheduler.next(slot);
                if (work instanceof Scheduler.Work.Run run) {
                    try {
                        execute(run.batch(), base);
                    } finally {
                        scheduler.finished(slot);
                    }
                } else if (work instanceof Scheduler.Work.Unload unload) {
                    Djl.get(() -> {
                        residents.unloadAll();
                        return null;
                    });
                    scheduler.unloaded(slot, unload.epoch());
                } else {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Djl.call(() -> {
                    residents.unloadAll();
                    base.close();
                    return null;
                });
            } catch (Exception | LinkageError e) {
                LOG.log(Level.FINE, "freeing " + device, e);
            }
            scheduler.exited(slot, null);
        }
    }

    private void execute(List<Scheduled> batch, NDManager base) {
        Scheduled head = batch.get(0);
        Model model = head.model;
        int n = batch.size();
        Listeners events = scheduler.listeners();
        batch.forEach(s -> events.emit(Kind.STARTED, s, deviceName, 0, n, null));
        Control control = new Control(batch);
        try {
            List<Tensor> outputs = Djl.call(() -> {
                LoadedModel loaded = residents.acquire(model);
                try (NDManager scope = base.newSubManager(device)) {
                    control.checkpoint(); // everything may have been cancelled while the model loaded
                    return loaded.call(scope, MicroBatch.inputs(batch), head.request.parameters(), control);
                }
            });
            if (n == 1) {
                scheduler.complete(head, new InferenceResult(model.id(), deviceName, outputs), 1);
            } else {
                long[] rows = batch.stream().mapToLong(s -> s.rows).toArray();
                List<List<Tensor>> split = MicroBatch.split(model.id(), outputs, rows);
                for (int i = 0; i < n; i++) {
                    scheduler.complete(batch.get(i), new InferenceResult(model.id(), deviceName, split.get(i)), n);
                }
            }
        } catch (CancellationException e) {
            // every request was cancelled (their futures are settled already), the service stopped, or the model
            // gave up by itself: whoever still waits is told which
            InferenceException stopped = new InferenceException(scheduler.closed()
                    ? "the inference service stopped while model '" + model.id() + "' ran"
                    : "model '" + model.id() + "' was cancelled on " + device + ": " + e.getMessage(), e);
            batch.forEach(s -> scheduler.fail(s, stopped, deviceName, n));
        } catch (InferenceException e) {
            batch.forEach(s -> scheduler.fail(s, e, deviceName, n));
        } catch (Exception | OutOfMemoryError | LinkageError e) {
            InferenceException failure = new InferenceException("model '" + model.id() + "' failed on " + device + ": " + e, e);
            batch.forEach(s -> scheduler.fail(s, failure, deviceName, n));
        }
    }

    /** The running batch's view of the scheduler: stop when all its requests are cancelled, and progress events. */
    private final class Control implements RunControl {
        private final List<Scheduled> batch;

        Control(List<Scheduled> batch) {
            this.batch = batch;
        }

        @Override
        public void checkpoint() {
            if (scheduler.closed()) {
                throw new CancellationException("the inference service stopped");
            }
            if (batch.stream().allMatch(s -> s.future.isDone())) {
                throw new CancellationException("every request of the running batch was cancelled");
            }
        }

        @Override
        public void progress(double fraction) {
            double f = Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
            Listeners events = scheduler.listeners();
            for (Scheduled s : batch) {
                if (!s.future.isDone()) {
                    events.emit(Kind.PROGRESS, s, deviceName, f, batch.size(), null);
                }
            }
        }
    }
}

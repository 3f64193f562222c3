package org.kinora.inference.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kinora.core.inference.InferenceEvent.Kind;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.SchedulerStatus;

/**
 * Hands waiting requests to the device workers as micro-batches (order: {@link RequestQueue}), and coordinates cancel,
 * pause and stop with them. One lock guards the queue and every worker's scheduling state; models are never called
 * with it held.
 */
final class Scheduler {

    /** What a worker does next. */
    sealed interface Work {
        /** Run this micro-batch. */
        record Run(List<Scheduled> batch) implements Work {
        }

        /** The service paused: unload every resident model, then report {@link #unloaded} with this epoch. */
        record Unload(long epoch) implements Work {
        }

        /** The service stopped: unload, free the device and end. */
        record Stop() implements Work {
        }
    }

    /** A worker's scheduling state, guarded by the scheduler's lock. */
    static final class Slot {
        final String device;
        final ResidentModels residents;
        List<Scheduled> running;
        long unloadedEpoch;
        boolean alive = true;

        Slot(String device, ResidentModels residents) {
            this.device = device;
            this.residents = residents;
        }
    }

    private final Object lock = new Object();
    private final RequestQueue queue;
    private final Listeners listeners;
    private final List<Slot> slots = new ArrayList<>();
    private boolean paused;
    private long pauseEpoch;
    private volatile boolean closed;
    private InferenceException noDevice;

    Scheduler(int interactiveStreak, long batchMaxWaitMillis, Listeners listeners) {
        this.queue = new RequestQueue(interactiveStreak, TimeUnit.MILLISECONDS.toNanos(batchMaxWaitMillis), System::nanoTime);
        this.listeners = listeners;
    }

    /** A new worker's slot; it starts with nothing resident. */
    Slot register(String device, ResidentModels residents) {
        synchronized (lock) {
            Slot slot = new Slot(device, residents);
            slot.unloadedEpoch = pauseEpoch;
            slots.add(slot);
            return slot;
        }
    }

    /**
     * Queues {@code s} (its QUEUED event goes first, so no listener sees it start before it was queued).
     *
     * @throws InferenceException when the service stopped or no device could start
     */
    void add(Scheduled s) throws InferenceException {
        listeners.emit(Kind.QUEUED, s, null, 0, 0, null);
        // a caller cancelling the future itself takes the request out of the queue, and that is reported like cancel()
        s.future.whenComplete((r, e) -> {
            if (s.future.isCancelled()) {
                synchronized (lock) {
                    queue.remove(s);
                }
                listeners.emit(Kind.CANCELLED, s, null, 0, 0, null);
            }
        });
        InferenceException refused;
        synchronized (lock) {
            refused = closed ? new InferenceException("the inference service stopped") : noDevice;
            if (refused == null) {
                queue.add(s);
                lock.notifyAll();
                return;
            }
        }
        fail(s, refused);
    }

    /** Cancels every waiting and running request of the job; see {@link InferenceServiceImpl#cancel}. */
    int cancel(String jobId) {
        if (jobId == null) {
            return 0;
        }
        List<Scheduled> hit;
        synchronized (lock) {
            hit = queue.removeJob(jobId);
            for (Slot slot : slots) {
                if (slot.running != null) {
                    slot.running.stream().filter(s -> s.belongsTo(jobId) && !s.future.isDone()).forEach(hit::add);
                }
            }
        }
        int n = 0;
        for (Scheduled s : hit) {
            // cancel() also answers true for a future cancelled before: count only what this call cancelled
            if (!s.future.isDone() && s.future.cancel(false)) {
                n++;
            }
        }
        return n;
    }

    /** Stops starting batches, waits for the running ones, and has every worker unload its models. */
    void pause() throws InterruptedException {
        synchronized (lock) {
            paused = true;
            long epoch = ++pauseEpoch;
            lock.notifyAll();
            while (!closed && paused && pauseEpoch == epoch
                    && slots.stream().anyMatch(w -> w.alive && (w.running != null || w.unloadedEpoch != epoch))) {
                lock.wait();
            }
        }
    }

    void resume() {
        synchronized (lock) {
            paused = false;
            lock.notifyAll();
        }
    }

    SchedulerStatus status() {
        synchronized (lock) {
            int running = 0;
            List<SchedulerStatus.DeviceStatus> devices = new ArrayList<>();
            for (Slot slot : slots) {
                running += slot.running == null ? 0 : (int) slot.running.stream().filter(s -> !s.future.isDone()).count();
                if (slot.alive) {
                    devices.add(slot.residents.snapshot());
                }
            }
            return new SchedulerStatus(paused, queue.counts(), running, devices);
        }
    }

    /** Waiting requests (tests). */
    int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    boolean closed() {
        return closed;
    }

    /** Stops: waiting requests fail, workers end after their running batch (which stops at its next checkpoint). */
    void close() {
        List<Scheduled> dropped;
        synchronized (lock) {
            closed = true;
            dropped = queue.drain();
            lock.notifyAll();
        }
        InferenceException stopped = new InferenceException("the inference service stopped");
        dropped.forEach(s -> fail(s, stopped));
    }

    // ---- worker side

    /** Blocks until the worker has something to do. */
    Work next(Slot slot) throws InterruptedException {
        synchronized (lock) {
            while (true) {
                if (closed) {
                    return new Work.Stop();
                }
                if (paused) {
                    if (slot.unloadedEpoch != pauseEpoch) {
                        return new Work.Unload(pauseEpoch);
                    }
                } else if (!queue.isEmpty()) {
                    List<Scheduled> batch = new ArrayList<>(queue.nextBatch());
                    batch.removeIf(s -> s.future.isDone());
                    if (!batch.isEmpty()) {
                        slot.running = List.copyOf(batch);
                        return new Work.Run(slot.running);
                    }
                    continue;
                }
                lock.wait();
            }
        }
    }

    /** The worker's batch ended (every future settled). */
    void finished(Slot slot) {
        synchronized (lock) {
            slot.running = null;
            lock.notifyAll();
        }
    }

    /** The worker unloaded its models for the pause of {@code epoch}. */
    void unloaded(Slot slot, long epoch) {
        synchronized (lock) {
            slot.unloadedEpoch = epoch;
            lock.notifyAll();
        }
    }

    /** The worker ended; when it could not start ({@code failure} not null) and no other can run work, waiting work fails. */
    void exited(Slot slot, InferenceException failure) {
        List<Scheduled> dropped = List.of();
        synchronized (lock) {
            slot.alive = false;
            slot.running = null;
            if (failure != null && slots.stream().noneMatch(w -> w.alive)) {
                noDevice = failure;
                dropped = queue.drain();
            }
            lock.notifyAll();
        }
        dropped.forEach(s -> fail(s, failure));
    }

    // ---- outcomes: the future first (it decides), then the event for what actually happened

    void complete(Scheduled s, InferenceResult result, int batchSize) {
        if (s.future.complete(result)) {
            listeners.emit(Kind.COMPLETED, s, result.device(), 1, batchSize, null);
        }
    }

    void fail(Scheduled s, InferenceException e, String device, int batchSize) {
        if (s.future.completeExceptionally(e)) {
            listeners.emit(Kind.FAILED, s, device, 0, batchSize, e.getMessage());
        }
    }

    private void fail(Scheduled s, InferenceException e) {
        fail(s, e, null, 0);
    }

    Listeners listeners() {
        return listeners;
    }
}

package org.kinora.inference.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.kinora.core.inference.Priority;

/**
 * The waiting requests and the order they start in. Not thread-safe: the {@link Scheduler} guards it.
 *
 * <p>The rule:
 * <ol>
 *   <li><b>Priority.</b> {@link Priority#INTERACTIVE} requests start before {@link Priority#BATCH} ones.</li>
 *   <li><b>No starvation (aging).</b> While both priorities have work waiting, the BATCH side goes next when
 *       {@code interactiveStreak} interactive batches in a row have started while BATCH work waited, or when the BATCH
 *       side has waited {@code batchMaxWait} without starting anything (counted from when its work arrived or from its
 *       last start, whichever is later). Either way one BATCH batch starts, and the count starts again.</li>
 *   <li><b>Fairness.</b> Within a priority, jobs take turns (round-robin, one batch per turn, a new job joining at the end
 *       of the round); within a job, first come first served. Requests without a job share one turn.</li>
 *   <li><b>Micro-batching.</b> The chosen request takes along other waiting requests it {@linkplain Scheduled#batchesWith
 *       batches with}, up to its model's {@link Model#maxBatch()}: interactive ones first, and within a priority again
 *       one per job in turn, so a batch does not fill up with one job's requests while another's could join.</li>
 * </ol>
 */
final class RequestQueue {

    /** One priority's requests: a FIFO per job, the jobs in turn order. */
    private static final class Lane {
        final LinkedHashMap<String, ArrayDeque<Scheduled>> jobs = new LinkedHashMap<>();
        int size;
        /** When this lane last started work, or got work while empty (nanos). */
        long since;

        /** The head of the job whose turn it is; that job goes to the end of the round. */
        Scheduled pollTurn() {
            Iterator<Map.Entry<String, ArrayDeque<Scheduled>>> it = jobs.entrySet().iterator();
            Map.Entry<String, ArrayDeque<Scheduled>> first = it.next();
            Scheduled s = first.getValue().poll();
            it.remove();
            if (!first.getValue().isEmpty()) {
                jobs.put(first.getKey(), first.getValue());
            }
            size--;
            return s;
        }

        boolean remove(Scheduled s) {
            ArrayDeque<Scheduled> q = jobs.get(s.job);
            if (q == null || !q.remove(s)) {
                return false;
            }
            if (q.isEmpty()) {
                jobs.remove(s.job);
            }
            size--;
            return true;
        }
    }

    private final EnumMap<Priority, Lane> lanes = new EnumMap<>(Priority.class);
    private final int interactiveStreak;
    private final long batchMaxWaitNanos;
    private final LongSupplier clock;
    private int streak;

    /**
     * @param interactiveStreak interactive batches in a row, while BATCH work waits, after which a BATCH batch goes next
     * @param batchMaxWaitNanos longest the BATCH side waits behind interactive work before it goes next
     * @param clock             nanosecond clock ({@link System#nanoTime})
     */
    RequestQueue(int interactiveStreak, long batchMaxWaitNanos, LongSupplier clock) {
        this.interactiveStreak = Math.max(1, interactiveStreak);
        this.batchMaxWaitNanos = batchMaxWaitNanos;
        this.clock = clock;
        for (Priority p : Priority.values()) {
            lanes.put(p, new Lane());
        }
    }

    void add(Scheduled s) {
        Lane lane = lanes.get(s.priority);
        if (lane.size == 0) {
            lane.since = clock.getAsLong();
        }
        lane.jobs.computeIfAbsent(s.job, k -> new ArrayDeque<>()).add(s);
        lane.size++;
    }

    /** Removes {@code s} if it is still waiting. */
    boolean remove(Scheduled s) {
        return lanes.get(s.priority).remove(s);
    }

    /** Removes and returns every waiting request of the job. */
    List<Scheduled> removeJob(String jobId) {
        List<Scheduled> out = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            ArrayDeque<Scheduled> q = lane.jobs.get(jobId);
            if (q != null) {
                for (Scheduled s : List.copyOf(q)) {
                    if (s.belongsTo(jobId) && lane.remove(s)) {
                        out.add(s);
                    }
                }
            }
        }
        return out;
    }

    /** Removes and returns everything. */
    List<Scheduled> drain() {
        List<Scheduled> out = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            lane.jobs.values().forEach(out::addAll);
            lane.jobs.clear();
            lane.size = 0;
        }
        return out;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    int size() {
        return lanes.values().stream().mapToInt(l -> l.size).sum();
    }

    /** Waiting requests by priority. */
    Map<Priority, Integer> counts() {
        Map<Priority, Integer> m = new EnumMap<>(Priority.class);
        lanes.forEach((p, l) -> m.put(p, l.size));
        return m;
    }

    /** Removes the next micro-batch to start (its first request chose it), or returns an empty list when none waits. */
    List<Scheduled> nextBatch() {
        Lane interactive = lanes.get(Priority.INTERACTIVE);
        Lane batch = lanes.get(Priority.BATCH);
        long now = clock.getAsLong();
        Priority pick;
        if (interactive.size == 0 && batch.size == 0) {
            return List.of();
        } else if (interactive.size == 0) {
            pick = Priority.BATCH;
        } else if (batch.size == 0) {
            pick = Priority.INTERACTIVE;
        } else if (streak >= interactiveStreak || now - batch.since >= batchMaxWaitNanos) {
            pick = Priority.BATCH;
        } else {
            pick = Priority.INTERACTIVE;
        }
        boolean batchWaited = batch.size > 0;
        Scheduled head = lanes.get(pick).pollTurn();
        List<Scheduled> out = new ArrayList<>();
        out.add(head);
        addMates(head, out);

        boolean batchStarted = out.stream().anyMatch(s -> s.priority == Priority.BATCH);
        if (batchStarted) {
            streak = 0;
            batch.since = now;
        } else if (batchWaited) {
            streak++;
        } else {
            streak = 0;
        }
        if (out.stream().anyMatch(s -> s.priority == Priority.INTERACTIVE)) {
            interactive.since = now;
        }
        return out;
    }

    private void addMates(Scheduled head, List<Scheduled> out) {
        int room = Math.max(1, head.model.maxBatch()) - 1;
        if (room == 0 || head.batchKey == null) {
            return;
        }
        for (Lane lane : lanes.values()) { // EnumMap: INTERACTIVE first
            List<ArrayDeque<Scheduled>> perJob = new ArrayList<>();
            for (ArrayDeque<Scheduled> q : lane.jobs.values()) {
                ArrayDeque<Scheduled> fits = new ArrayDeque<>();
                for (Scheduled s : q) {
                    if (head.batchesWith(s)) {
                        fits.add(s);
                    }
                }
                if (!fits.isEmpty()) {
                    perJob.add(fits);
                }
            }
            boolean took = true;
            while (room > 0 && took) {
                took = false;
                for (ArrayDeque<Scheduled> fits : perJob) {
                    Scheduled s = fits.poll();
                    if (s != null && room > 0) {
                        lane.remove(s);
                        out.add(s);
                        room--;
                        took = true;
                    }
                }
            }
        }
    }
}

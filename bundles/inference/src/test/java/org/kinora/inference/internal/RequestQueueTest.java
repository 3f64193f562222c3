package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinora.inference.internal.SchedulerTestModels.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.Priority;

/** The start order of {@link RequestQueue} on its own, with a clock the test moves. */
class RequestQueueTest {

    final AtomicLong now = new AtomicLong();
    final Model record = new SchedulerTestModels.Record();
    long ids;

    Scheduled s(String tag, String job, Priority p) {
        return new Scheduled(++ids, request("test-record", tag, job, p), record);
    }

    static String tag(List<Scheduled> batch) {
        assertEquals(1, batch.size());
        return (String) batch.get(0).request.parameters().get("tag");
    }

    @Test
    void batchWorkGoesNextOnceItWaitedLongerThanTheBound() {
        RequestQueue q = new RequestQueue(1000, 2_000, now::get);
        q.add(s("b1", "render", Priority.BATCH));
        for (int i = 0; i < 5; i++) {
            q.add(s("i" + i, "preview", Priority.INTERACTIVE));
        }
        now.set(1_000);
        assertEquals("i0", tag(q.nextBatch()));
        now.set(1_999);
        assertEquals("i1", tag(q.nextBatch()));
        now.set(2_000); // b1 arrived at 0: it has waited the bound
        assertEquals("b1", tag(q.nextBatch()));
        q.add(s("b2", "render", Priority.BATCH)); // arrives at 2_000, just after the lane's last start
        now.set(3_999);
        assertEquals("i2", tag(q.nextBatch()));
        now.set(4_000);
        assertEquals("b2", tag(q.nextBatch()));
        assertEquals("i3", tag(q.nextBatch()));
        assertEquals("i4", tag(q.nextBatch()));
        assertTrue(q.nextBatch().isEmpty());
    }

    @Test
    void theStreakCountsOnlyWhileBatchWorkWaits() {
        RequestQueue q = new RequestQueue(2, Long.MAX_VALUE, now::get);
        q.add(s("i0", "p", Priority.INTERACTIVE));
        q.add(s("i1", "p", Priority.INTERACTIVE));
        q.add(s("i2", "p", Priority.INTERACTIVE));
        assertEquals("i0", tag(q.nextBatch())); // nothing waits behind it: no streak
        q.add(s("b1", "r", Priority.BATCH));
        q.add(s("b2", "r", Priority.BATCH));
        assertEquals("i1", tag(q.nextBatch()));
        assertEquals("i2", tag(q.nextBatch()));
        q.add(s("i3", "p", Priority.INTERACTIVE));
        q.add(s("i4", "p", Priority.INTERACTIVE));
        q.add(s("i5", "p", Priority.INTERACTIVE));
        assertEquals("b1", tag(q.nextBatch()));
        assertEquals("i3", tag(q.nextBatch()));
        assertEquals("i4", tag(q.nextBatch()));
        assertEquals("b2", tag(q.nextBatch()));
        assertEquals("i5", tag(q.nextBatch()));
    }

    @Test
    void removingAJobAndCounting() {
        RequestQueue q = new RequestQueue(4, Long.MAX_VALUE, now::get);
        q.add(s("a1", "a", Priority.BATCH));
        q.add(s("b1", "b", Priority.INTERACTIVE));
        q.add(s("a2", "a", Priority.INTERACTIVE));
        q.add(s("n1", null, Priority.BATCH));
        assertEquals(Map.of(Priority.INTERACTIVE, 2, Priority.BATCH, 2), q.counts());
        assertEquals(2, q.removeJob("a").size());
        assertEquals(0, q.removeJob("a").size());
        assertEquals(0, q.removeJob("").size(), "requests without a job cannot be cancelled by job");
        List<String> order = new ArrayList<>();
        for (List<Scheduled> b = q.nextBatch(); !b.isEmpty(); b = q.nextBatch()) {
            order.add(tag(b));
        }
        assertEquals(List.of("b1", "n1"), order);
        assertTrue(q.isEmpty());
    }
}

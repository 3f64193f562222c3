package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinora.inference.internal.SchedulerTestModels.await;
import static org.kinora.inference.internal.SchedulerTestModels.bytes;
import static org.kinora.inference.internal.SchedulerTestModels.data;
import static org.kinora.inference.internal.SchedulerTestModels.request;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceEvent;
import org.kinora.core.inference.InferenceEvent.Kind;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.SchedulerStatus;
import org.kinora.core.inference.Tensor;

/**
 * The scheduler through the service, on the real engine (CPU): order (priority, fairness, aging), micro-batches,
 * cancellation of running calls, events and status. Each test blocks the single worker with a {@link SchedulerTestModels.Gate}
 * while it queues work, so what the scheduler sees is decided by the test, not by timing.
 */
class SchedulingTest {

    static InferenceServiceImpl service(InferenceServiceImpl.Settings settings, Model... models) {
        return new InferenceServiceImpl(settings, List.of(models));
    }

    /** Submits the gate's request and returns once the gate runs (the worker is busy). */
    static CompletableFuture<InferenceResult> block(InferenceServiceImpl s, SchedulerTestModels.Gate gate) throws InterruptedException {
        CompletableFuture<InferenceResult> f = s.submit(request("test-gate", "gate", "gate-job", Priority.BATCH));
        await(gate.started, "the gate to run");
        return f;
    }

    static void all(List<CompletableFuture<InferenceResult>> futures) throws Exception {
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    @Test
    void jobsOfOnePriorityTakeTurns() throws Exception {
        SchedulerTestModels.Gate gate = new SchedulerTestModels.Gate();
        SchedulerTestModels.Record rec = new SchedulerTestModels.Record();
        try (InferenceServiceImpl s = service(InferenceServiceImpl.Settings.defaults(), gate, rec)) {
            block(s, gate);
            List<CompletableFuture<InferenceResult>> f = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                f.add(s.submit(request("test-record", "a" + i, "render-a", Priority.BATCH)));
            }
            f.add(s.submit(request("test-record", "b1", "render-b", Priority.BATCH)));
            f.add(s.submit(request("test-record", "c1", "render-c", Priority.BATCH)));
            f.add(s.submit(request("test-record", "b2", "render-b", Priority.BATCH)));
            gate.release.countDown();
            all(f);
            // a's first request was queued first; then one per job in turn; a's long tail comes last
            assertEquals(List.of("a1", "b1", "c1", "a2", "b2", "a3", "a4", "a5"), rec.ran);
        }
    }

    @Test
    void batchWorkGoesAfterAStreakOfInteractiveWork() throws Exception {
        SchedulerTestModels.Gate gate = new SchedulerTestModels.Gate();
        SchedulerTestModels.Record rec = new SchedulerTestModels.Record();
        // the time bound is far away: the streak rule alone decides here (RequestQueueTest covers the time bound)
        InferenceServiceImpl.Settings settings = InferenceServiceImpl.Settings.defaults().withAging(3, 600_000);
        try (InferenceServiceImpl s = service(settings, gate, rec)) {
            block(s, gate);
            List<CompletableFuture<InferenceResult>> stream = new ArrayList<>();
            java.util.concurrent.CountDownLatch submitted = new java.util.concurrent.CountDownLatch(12);
            // a steady interactive stream: every interactive call queues the next one, so interactive work always waits
            rec.onCall = () -> {
                synchronized (stream) {
                    if (stream.size() < 12) {
                        stream.add(s.submit(request("test-record", "i" + stream.size(), "preview", Priority.INTERACTIVE)));
                        submitted.countDown();
                    }
                }
            };
            CompletableFuture<InferenceResult> render = s.submit(request("test-record", "render", "render", Priority.BATCH));
            synchronized (stream) {
                stream.add(s.submit(request("test-record", "i0", "preview", Priority.INTERACTIVE)));
                submitted.countDown();
            }
            gate.release.countDown();
            render.get(60, TimeUnit.SECONDS);
            await(submitted, "the interactive stream");
            List<CompletableFuture<InferenceResult>> interactive;
            synchronized (stream) {
                interactive = List.copyOf(stream);
            }
            all(interactive);
            List<String> ran = List.copyOf(rec.ran);
            assertEquals(3, ran.indexOf("render"), "after 3 interactive calls in a row the render goes: " + ran);
            assertEquals(13, ran.size(), ran.toString());
        }
    }

    static Tensor rows(byte... values) {
        return bytes("x", new long[] {values.length / 2, 2}, values);
    }

    static InferenceRequest batching(Tensor x, String job, Map<String, Object> params) {
        return new InferenceRequest("test-batching", List.of(x), params, job, Priority.BATCH);
    }

    static int[] ints(Tensor t) {
        ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    @Test
    void requestsQueuedWhileBusyRunAsOneMicroBatchAndEachGetsItsOwnRows() throws Exception {
        SchedulerTestModels.Gate gate = new SchedulerTestModels.Gate();
        SchedulerTestModels.Batching model = new SchedulerTestModels.Batching();
        SchedulerTestModels.Events events = new SchedulerTestModels.Events(5);
        try (InferenceServiceImpl s = service(InferenceServiceImpl.Settings.defaults(), gate, model)) {
            s.addListener(events);
            block(s, gate);
            CompletableFuture<InferenceResult> r1 = s.submit(batching(rows((byte) 10, (byte) 11, (byte) 12, (byte) 13), "a", Map.of()));
            CompletableFuture<InferenceResult> r2 = s.submit(batching(rows((byte) 20, (byte) 21), "b", Map.of()));
            // other parameters: may not join the others
            CompletableFuture<InferenceResult> r3 = s.submit(batching(rows((byte) 30, (byte) 31), "a", Map.of("k", 1)));
            CompletableFuture<InferenceResult> r4 = s.submit(batching(rows((byte) 40, (byte) 41, (byte) 42, (byte) 43, (byte) 44, (byte) 45), "c", Map.of()));
            gate.release.countDown();
            all(List.of(r1, r2, r3, r4));

            assertEquals(List.of(2L + 1 + 3, 1L), model.calls, "r1, r2 and r4 in one call of 6 rows, then r3 alone");
            InferenceResult a = r1.get();
            assertArrayEquals(new long[] {2, 2}, a.output("y").orElseThrow().shape());
            assertArrayEquals(new byte[] {11, 12, 13, 14}, data(a.output("y").orElseThrow()));
            assertArrayEquals(new int[] {6, 6}, ints(a.output("seen").orElseThrow()));
            assertArrayEquals(new byte[] {21, 22}, data(r2.get().output("y").orElseThrow()));
            assertArrayEquals(new int[] {6}, ints(r2.get().output("seen").orElseThrow()));
            assertArrayEquals(new byte[] {41, 42, 43, 44, 45, 46}, data(r4.get().output("y").orElseThrow()));
            assertArrayEquals(new long[] {3}, r4.get().output("seen").orElseThrow().shape());
            assertArrayEquals(new byte[] {31, 32}, data(r3.get().output("y").orElseThrow()));
            assertArrayEquals(new int[] {1}, ints(r3.get().output("seen").orElseThrow()));
            // a caller cannot reach another caller's rows through its buffer
            assertEquals(4, a.output("y").orElseThrow().data().capacity());

            await(events.terminal, "the events");
            List<Integer> started = events.all.stream().filter(e -> e.kind() == Kind.STARTED && e.modelId().equals("test-batching"))
                    .map(InferenceEvent::batchSize).toList();
            assertEquals(List.of(3, 3, 3, 1), started);
        }
    }

    @Test
    void textRequestsBatchAndSplitByteTensors() throws Exception {
        SchedulerTestModels.Gate gate = new SchedulerTestModels.Gate();
        SchedulerTestModels.Upper upper = new SchedulerTestModels.Upper();
        try (InferenceServiceImpl s = service(InferenceServiceImpl.Settings.defaults(), gate, upper)) {
            block(s, gate);
            CompletableFuture<InferenceResult> a = s.submit(new InferenceRequest("test-upper",
                    List.of(Tensor.ofStrings("text", new long[] {2}, List.of("héllo", ""))), Map.of(), "a", Priority.INTERACTIVE));
            CompletableFuture<InferenceResult> b = s.submit(new InferenceRequest("test-upper",
                    List.of(Tensor.ofStrings("text", new long[] {1}, List.of("world"))), Map.of(), "b", Priority.BATCH));
            gate.release.countDown();
            all(List.of(a, b));
            assertEquals(List.of(3), upper.calls);
            assertEquals(List.of("HÉLLO", ""), a.get().outputs().get(0).strings());
            assertEquals(List.of("WORLD"), b.get().outputs().get(0).strings());
        }
    }

    @Test
    void cancellingARunningCallStopsItWithinOneStep() throws Exception {
        SchedulerTestModels.Steps steps = new SchedulerTestModels.Steps(1000);
        SchedulerTestModels.Record rec = new SchedulerTestModels.Record();
        SchedulerTestModels.Events events = new SchedulerTestModels.Events(2);
        try (InferenceServiceImpl s = service(InferenceServiceImpl.Settings.defaults(), steps, rec)) {
            s.addListener(events);
            CompletableFuture<InferenceResult> running = s.submit(request("test-steps", "long", "render", Priority.BATCH));
            await(steps.firstStep, "the first step");
            CompletableFuture<InferenceResult> next = s.submit(request("test-record", "next", "other", Priority.BATCH));
            assertEquals(1, s.cancel("render"));
            assertTrue(running.isCancelled());
            steps.proceed.countDown();
            // the worker is free for the next request only after the long call stopped
            assertEquals("test-record", next.get(60, TimeUnit.SECONDS).modelId());
            assertEquals(1, steps.done.get(), "stopped at the checkpoint after the step that ran");
            assertThrows(CancellationException.class, running::get);
            await(events.terminal, "the events");
            List<Kind> kinds = events.all.stream().filter(e -> "render".equals(e.jobId())).map(InferenceEvent::kind).toList();
            assertEquals(List.of(Kind.QUEUED, Kind.STARTED, Kind.PROGRESS, Kind.CANCELLED), kinds);
        }
    }

    @Test
    void aCancelledRequestInAContinuingBatchOnlyLosesItsResult() throws Exception {
        SchedulerTestModels.Gate gate = new SchedulerTestModels.Gate();
        SchedulerTestModels.Batching model = new SchedulerTestModels.Batching();
        java.util.concurrent.CountDownLatch inCall = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch proceed = new java.util.concurrent.CountDownLatch(1);
        model.onCall = () -> {
            inCall.countDown();
            try {
                proceed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        try (InferenceServiceImpl s = service(InferenceServiceImpl.Settings.defaults(), gate, model)) {
            block(s, gate);
            CompletableFuture<InferenceResult> keep = s.submit(batching(rows((byte) 1, (byte) 2), "keep", Map.of()));
            CompletableFuture<InferenceResult> drop = s.submit(batching(rows((byte) 3, (byte) 4), "drop", Map.of()));
            gate.release.countDown();
            await(inCall, "the batch to run");
            assertEquals(1, s.cancel("drop"));
            assertTrue(drop.isCancelled());
            proceed.countDown();
            InferenceResult kept = keep.get(60, TimeUnit.SECONDS);
            assertArrayEquals(new byte[] {2, 3}, data(kept.output("y").orElseThrow()));
            assertArrayEquals(new int[] {2}, ints(kept.output("seen").orElseThrow()), "it ran as a batch of two");
            assertEquals(List.of(2L), model.calls);
        }
    }

    @Test
    void eventsFollowEachRequestInOrderAndABrokenListenerChangesNothing() throws Exception {
        SchedulerTestModels.Steps steps = new SchedulerTestModels.Steps(4);
        steps.proceed.countDown();
        SchedulerTestModels.Events events = new SchedulerTestModels.Events(1);
        try (InferenceServiceImpl s = service(InferenceServiceImpl.Settings.defaults(), steps)) {
            s.addListener(e -> {
                throw new IllegalStateException("a broken listener");
            });
            s.addListener(events);
            InferenceResult ok = s.infer(request("test-steps", "t", "good", Priority.INTERACTIVE));
            await(events.terminal, "the events");

            List<InferenceEvent> good = events.all.stream().filter(e -> "good".equals(e.jobId())).toList();
            assertEquals(List.of(Kind.QUEUED, Kind.STARTED, Kind.PROGRESS, Kind.PROGRESS, Kind.PROGRESS, Kind.PROGRESS, Kind.COMPLETED),
                    good.stream().map(InferenceEvent::kind).toList());
            assertEquals(List.of(0.25, 0.5, 0.75, 1.0), good.stream().filter(e -> e.kind() == Kind.PROGRESS).map(InferenceEvent::progress).toList());
            assertEquals(ok.device(), good.get(1).device());
            assertEquals(1, good.get(1).batchSize());
            assertEquals("test-steps", good.get(6).modelId());
            assertTrue(good.stream().allMatch(e -> e.requestId() == good.get(0).requestId()));
        }
    }

    @Test
    void failuresAndQueuedCancellationsAreEvents() throws Exception {
        SchedulerTestModels.Gate gate = new SchedulerTestModels.Gate();
        SchedulerTestModels.Events events = new SchedulerTestModels.Events(3);
        try (InferenceServiceImpl s = service(InferenceServiceImpl.Settings.defaults(), gate)) {
            s.addListener(events);
            block(s, gate);
            CompletableFuture<InferenceResult> bad = s.submit(new InferenceRequest("style-cartoon",
                    List.of(bytes("frames", new long[] {1, 1, 1, 3}, (byte) 1, (byte) 2, (byte) 3)), Map.of("strength", 7), "bad", Priority.BATCH));
            CompletableFuture<InferenceResult> gone = s.submit(request("test-gate", "x", "gone", Priority.BATCH));
            assertEquals(1, s.cancel("gone"));
            gate.release.countDown();
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(60, TimeUnit.SECONDS));
            assertInstanceOf(InferenceException.class, e.getCause());
            assertTrue(gone.isCancelled());
            await(events.terminal, "the events");
            assertEquals(List.of(Kind.QUEUED, Kind.CANCELLED), events.all.stream().filter(x -> "gone".equals(x.jobId())).map(InferenceEvent::kind).toList());
            List<InferenceEvent> failed = events.all.stream().filter(x -> "bad".equals(x.jobId())).toList();
            assertEquals(List.of(Kind.QUEUED, Kind.STARTED, Kind.FAILED), failed.stream().map(InferenceEvent::kind).toList());
            assertTrue(failed.get(2).message().contains("strength"), failed.get(2).message());
        }
    }

    @Test
    void statusShowsTheQueueTheRunningRequestAndTheDevice() throws Exception {
        SchedulerTestModels.Gate gate = new SchedulerTestModels.Gate();
        SchedulerTestModels.Record rec = new SchedulerTestModels.Record();
        try (InferenceServiceImpl s = service(InferenceServiceImpl.Settings.defaults().withMemoryBudgetMb(64), gate, rec)) {
            block(s, gate);
            List<CompletableFuture<InferenceResult>> f = List.of(
                    s.submit(request("test-record", "i1", "p", Priority.INTERACTIVE)),
                    s.submit(request("test-record", "i2", "p", Priority.INTERACTIVE)),
                    s.submit(request("test-record", "b1", "r", Priority.BATCH)));
            SchedulerStatus st = s.status();
            assertFalse(st.paused());
            assertEquals(Map.of(Priority.INTERACTIVE, 2, Priority.BATCH, 1), st.queued());
            assertEquals(1, st.running());
            assertEquals(1, st.devices().size());
            SchedulerStatus.DeviceStatus d = st.devices().get(0);
            assertEquals(s.devices().stream().filter(x -> x.active()).findFirst().orElseThrow().id(), d.device());
            assertEquals(64L * 1024 * 1024, d.budgetBytes());
            assertEquals(List.of("test-gate"), d.residentModels());
            gate.release.countDown();
            all(f);
            st = s.status();
            assertEquals(Map.of(Priority.INTERACTIVE, 0, Priority.BATCH, 0), st.queued());
            assertEquals(0, st.running());
            assertEquals(List.of("test-gate", "test-record"), st.devices().get(0).residentModels());
        }
    }
}

package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinora.inference.internal.SchedulerTestModels.MB;
import static org.kinora.inference.internal.SchedulerTestModels.await;
import static org.kinora.inference.internal.SchedulerTestModels.request;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.SchedulerStatus;

/** Resident models under a device's memory budget (LRU), pause freeing them, and the default budgets. */
class DeviceMemoryTest {

    static InferenceServiceImpl service(long budgetMb, Model... models) {
        return new InferenceServiceImpl(InferenceServiceImpl.Settings.defaults().withMemoryBudgetMb(budgetMb), List.of(models));
    }

    static SchedulerStatus.DeviceStatus device(InferenceServiceImpl s) {
        return s.status().devices().get(0);
    }

    static void run(InferenceServiceImpl s, String model) throws Exception {
        assertEquals(model, s.infer(request(model, "t", "j", Priority.BATCH)).modelId());
    }

    @Test
    void leastRecentlyUsedModelsMakeRoomWithinTheBudget() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        SchedulerTestModels.Sized a = new SchedulerTestModels.Sized("test-a", 40 * MB, log);
        SchedulerTestModels.Sized b = new SchedulerTestModels.Sized("test-b", 40 * MB, log);
        SchedulerTestModels.Sized c = new SchedulerTestModels.Sized("test-c", 40 * MB, log);
        try (InferenceServiceImpl s = service(100, a, b, c)) {
            run(s, "test-a");
            run(s, "test-b");
            run(s, "test-a"); // resident: no second load, and now b is the least recently used
            assertEquals(List.of("test-b", "test-a"), device(s).residentModels());
            assertEquals(80 * MB, device(s).residentBytes());
            run(s, "test-c");
            assertEquals(List.of("load test-a", "load test-b", "close test-b", "load test-c"), log);
            assertEquals(List.of("test-a", "test-c"), device(s).residentModels());
            assertEquals(80 * MB, device(s).residentBytes());
            assertEquals(100 * MB, device(s).budgetBytes());
            run(s, "test-b");
            assertEquals("close test-a", log.get(4), log.toString());
            assertEquals(List.of("test-c", "test-b"), device(s).residentModels());
            assertEquals(1, a.loads.get());
            assertEquals(2, b.loads.get());
        }
        assertEquals(List.of("close test-c", "close test-b"), log.subList(log.size() - 2, log.size()), "closing the service unloads: " + log);
    }

    @Test
    void aModelLargerThanTheWholeBudgetFailsClearly() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        SchedulerTestModels.Sized small = new SchedulerTestModels.Sized("test-small", 10 * MB, log);
        SchedulerTestModels.Sized huge = new SchedulerTestModels.Sized("test-huge", 300 * MB, log);
        try (InferenceServiceImpl s = service(100, small, huge)) {
            run(s, "test-small");
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> s.submit(request("test-huge", "t", "j", Priority.BATCH)).get(60, TimeUnit.SECONDS));
            String m = assertInstanceOf(InferenceException.class, e.getCause()).getMessage();
            assertTrue(m.contains("'test-huge'") && m.contains("300 MB") && m.contains("100 MB") && m.contains("budget"), m);
            assertEquals(0, huge.loads.get());
            assertEquals(List.of("test-small"), device(s).residentModels(), "nothing was unloaded for a model that cannot fit");
            run(s, "test-small");
        }
    }

    @Test
    void pauseUnloadsEverythingAndResumeLosesNothing() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        SchedulerTestModels.Sized a = new SchedulerTestModels.Sized("test-a", 10 * MB, log);
        SchedulerTestModels.Gate gate = new SchedulerTestModels.Gate();
        try (InferenceServiceImpl s = service(100, a, gate)) {
            run(s, "test-a");
            CompletableFuture<InferenceResult> running = s.submit(request("test-gate", "g", "j", Priority.BATCH));
            await(gate.started, "the gate");
            CompletableFuture<Void> paused = CompletableFuture.runAsync(() -> {
                try {
                    s.pause();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // pause waits for the running call
            assertThrows(java.util.concurrent.TimeoutException.class, () -> paused.get(200, TimeUnit.MILLISECONDS));
            gate.release.countDown();
            paused.get(60, TimeUnit.SECONDS);
            assertTrue(running.isDone() && !running.isCompletedExceptionally(), "the running call finished");
            assertEquals(List.of("load test-a", "close test-a"), log);
            SchedulerStatus st = s.status();
            assertTrue(st.paused());
            assertEquals(List.of(), st.devices().get(0).residentModels());
            assertEquals(0, st.devices().get(0).residentBytes());

            List<CompletableFuture<InferenceResult>> waiting = List.of(
                    s.submit(request("test-a", "1", "j", Priority.BATCH)),
                    s.submit(request("test-a", "2", "j", Priority.INTERACTIVE)));
            assertEquals(Map.of(Priority.INTERACTIVE, 1, Priority.BATCH, 1), s.status().queued());
            assertFalse(waiting.stream().anyMatch(CompletableFuture::isDone), "nothing starts while paused");

            s.resume();
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertFalse(s.status().paused());
            assertEquals(List.of("load test-a", "close test-a", "load test-a"), log);
            assertEquals(List.of("test-a"), device(s).residentModels());

            s.pause(); // an idle service pauses at once
            assertEquals("close test-a", log.get(log.size() - 1));
            s.resume();
            run(s, "test-a");
        }
    }

    @Test
    void defaultBudgetsAreAShareOfTheMachine() {
        long ram = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        assertEquals(ram / 100 * DeviceBudget.CPU_SHARE_PERCENT, DeviceBudget.of(ai.djl.Device.cpu(), 0));
        assertEquals(512 * MB, DeviceBudget.of(ai.djl.Device.cpu(), 512));
        assertEquals(3000 * MB, DeviceBudget.of(ai.djl.Device.gpu(0), 3000));
    }
}

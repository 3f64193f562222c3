package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/** Scheduling, cancellation, devices and validation of the service, with two small test models beside the built-ins. */
class InferenceServiceImplTest {

    /** Waits on a latch: keeps the single worker busy while the test queues more work. */
    static final class GateModel implements BuiltinModel {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<InferenceResult> future;

        @Override
        public ModelInfo info() {
            return new ModelInfo("test-gate", "test", "builtin", "blocks until released",
                    List.of(new TensorSpec("x", TensorType.UINT8, new long[] {-1})), List.of(new TensorSpec("x", TensorType.UINT8, new long[] {-1})));
        }

        @Override
        public NDList run(NDManager manager, NDList inputs, Map<String, Object> parameters, RunControl control) throws InferenceException {
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inputs;
        }
    }

    /** Records the {@code tag} parameter of each call, in the order they run. */
    static final class RecordModel implements BuiltinModel {
        final List<String> ran = Collections.synchronizedList(new ArrayList<>());

        @Override
        public ModelInfo info() {
            return new ModelInfo("test-record", "test", "builtin", "records call order",
                    List.of(new TensorSpec("x", TensorType.UINT8, new long[] {-1})), List.of(new TensorSpec("x", TensorType.UINT8, new long[] {-1})));
        }

        @Override
        public NDList run(NDManager manager, NDList inputs, Map<String, Object> parameters, RunControl control) {
            ran.add((String) parameters.get("tag"));
            return inputs;
        }
    }

    static InferenceServiceImpl service;
    static RecordModel record = new RecordModel();

    @BeforeAll
    static void start() {
        service = new InferenceServiceImpl(InferenceServiceImpl.Settings.defaults(), List.of(record));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static Tensor x() {
        return new Tensor("x", TensorType.UINT8, new long[] {4}, ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
    }

    static InferenceRequest req(String model, String tag, String job, Priority p) {
        return new InferenceRequest(model, List.of(x()), Map.of("tag", tag), job, p);
    }

    /** A service with a gate model; the gate is running (the worker is busy) when this returns. */
    static InferenceServiceImpl blocked(GateModel gate, RecordModel rec, String job) throws Exception {
        InferenceServiceImpl s = new InferenceServiceImpl(InferenceServiceImpl.Settings.defaults(), List.of(gate, rec));
        gate.future = s.submit(req("test-gate", "gate", job, Priority.BATCH));
        assertTrue(gate.started.await(60, TimeUnit.SECONDS), "gate running");
        return s;
    }

    @Test
    void interactiveJumpsQueuedBatchWorkFifoWithinAPriority() throws Exception {
        GateModel gate = new GateModel();
        RecordModel rec = new RecordModel();
        try (InferenceServiceImpl s = blocked(gate, rec, "j0")) {
            List<CompletableFuture<InferenceResult>> all = new ArrayList<>();
            all.add(s.submit(req("test-record", "b1", "j1", Priority.BATCH)));
            all.add(s.submit(req("test-record", "b2", "j1", Priority.BATCH)));
            all.add(s.submit(req("test-record", "i1", "j2", Priority.INTERACTIVE)));
            all.add(s.submit(req("test-record", "b3", "j1", Priority.BATCH)));
            all.add(s.submit(req("test-record", "i2", "j2", Priority.INTERACTIVE)));
            assertEquals(5, s.queued());
            gate.release.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertEquals(List.of("i1", "i2", "b1", "b2", "b3"), rec.ran);
        }
    }

    @Test
    void cancelRemovesQueuedRequestsOfTheJobAndCancelsTheRunningOne() throws Exception {
        GateModel gate = new GateModel();
        RecordModel rec = new RecordModel();
        try (InferenceServiceImpl s = blocked(gate, rec, "job-a")) {
            List<CompletableFuture<InferenceResult>> a = List.of(
                    s.submit(req("test-record", "a1", "job-a", Priority.BATCH)),
                    s.submit(req("test-record", "a2", "job-a", Priority.INTERACTIVE)),
                    s.submit(req("test-record", "a3", "job-a", Priority.BATCH)));
            CompletableFuture<InferenceResult> b = s.submit(req("test-record", "b1", "job-b", Priority.BATCH));
            assertEquals(4, s.cancel("job-a"), "three queued and the running gate");
            assertEquals(0, s.cancel("job-a"));
            assertEquals(0, s.cancel("nobody"));
            assertEquals(1, s.queued());
            a.forEach(f -> assertTrue(f.isCancelled()));
            assertTrue(gate.future.isCancelled(), "the running request's caller is told at once");
            gate.release.countDown();
            assertEquals("test-record", b.get(60, TimeUnit.SECONDS).modelId());
            assertEquals(List.of("b1"), rec.ran);
        }
    }

    @Test
    void devicesComeFromTheEngineAndOneIsActive() throws Exception {
        List<DeviceInfo> devices = service.devices();
        assertTrue(devices.stream().anyMatch(d -> d.id().equals("cpu()") && d.kind().equals("cpu")), devices.toString());
        assertEquals(1, devices.stream().filter(DeviceInfo::active).count(), devices.toString());
        String active = devices.stream().filter(DeviceInfo::active).findFirst().orElseThrow().id();
        assertEquals(active, service.infer(req("test-record", "d", "j", Priority.BATCH)).device());
    }

    @Test
    void modelsListTheBuiltinStyles() {
        List<String> ids = service.models().stream().map(ModelInfo::id).toList();
        assertTrue(ids.containsAll(List.of("style-cartoon", "style-pencil", "style-paint", "style-starry")), ids.toString());
        for (ModelInfo m : service.models()) {
            if (m.id().startsWith("style-")) {
                assertEquals("builtin", m.format());
                assertEquals("image-to-image", m.task());
                // the classical styles say so; the one network the project trained itself says that, and what its loss is
                String says = m.id().equals("style-starry") ? "trained by Kinora" : "classical";
                assertTrue(m.description().contains(says), m.description());
            }
        }
        assertTrue(service.models().stream().filter(m -> m.id().equals("style-starry")).findFirst().orElseThrow().description()
                .contains("random-feature Gram loss, not VGG"));
    }

    static InferenceException failure(InferenceServiceImpl s, InferenceRequest r) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.submit(r).get(60, TimeUnit.SECONDS));
        return assertInstanceOf(InferenceException.class, e.getCause());
    }

    static Tensor frames(String name, TensorType type, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return new Tensor(name, type, shape, ByteBuffer.allocate((int) (n * type.bytes())));
    }

    static InferenceRequest style(Tensor t, Map<String, Object> params) {
        return new InferenceRequest("style-cartoon", List.of(t), params, "v", Priority.BATCH);
    }

    @Test
    void validationErrorsNameTheModelAndTensor() {
        InferenceException e = failure(service, new InferenceRequest("style-oil", List.of(x()), Map.of(), "v", Priority.BATCH));
        assertTrue(e.getMessage().contains("unknown model 'style-oil'") && e.getMessage().contains("style-cartoon, style-pencil, style-paint"),
                e.getMessage());

        e = failure(service, style(frames("pixels", TensorType.UINT8, 1, 4, 4, 3), Map.of()));
        assertTrue(e.getMessage().contains("style-cartoon") && e.getMessage().contains("'pixels'"), e.getMessage());

        e = failure(service, style(frames("frames", TensorType.FP32, 1, 4, 4, 3), Map.of()));
        assertTrue(e.getMessage().contains("style-cartoon") && e.getMessage().contains("'frames' must be UINT8"), e.getMessage());

        e = failure(service, style(frames("frames", TensorType.UINT8, 4, 4, 3), Map.of()));
        assertTrue(e.getMessage().contains("'frames' must have rank 4"), e.getMessage());

        e = failure(service, style(frames("frames", TensorType.UINT8, 1, 4, 4, 4), Map.of()));
        assertTrue(e.getMessage().contains("'frames' must have dimension 3 = 3"), e.getMessage());

        e = failure(service, new InferenceRequest("style-cartoon", List.of(), Map.of(), "v", Priority.BATCH));
        assertTrue(e.getMessage().contains("missing input tensor 'frames'"), e.getMessage());

        e = failure(service, style(frames("frames", TensorType.UINT8, 1, 8, 8, 3), Map.of("strength", 1.5)));
        assertTrue(e.getMessage().contains("style-cartoon") && e.getMessage().contains("'strength'"), e.getMessage());

        e = failure(service, style(frames("frames", TensorType.UINT8, 1, 8, 8, 3), Map.of("strenght", 0.5)));
        assertTrue(e.getMessage().contains("unknown parameter 'strenght'"), e.getMessage());
    }

    @Test
    void inputSizeIsBounded() {
        try (InferenceServiceImpl small = new InferenceServiceImpl(new InferenceServiceImpl.Settings("auto", 1000), List.of())) {
            InferenceException e = failure(small, style(frames("frames", TensorType.UINT8, 1, 20, 20, 3), Map.of()));
            assertTrue(e.getMessage().contains("1200 elements") && e.getMessage().contains("limit of 1000"), e.getMessage());
        }
        // the default bound: 64 Mi elements (checked without allocating: shape only matters before the data)
        assertEquals(64L * 1024 * 1024, InferenceServiceImpl.DEFAULT_MAX_INPUT_ELEMENTS);
    }

    @Test
    void inputTensorsCanBeSubmittedAgain() throws Exception {
        Tensor t = TestImages.frames(16, 8, TestImages.scene(16, 8, 3));
        InferenceRequest r = style(t, Map.of("strength", 0.7));
        byte[] first = TestImages.bytes(service.infer(r).outputs().get(0));
        byte[] second = TestImages.bytes(service.infer(r).outputs().get(0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(first, second);
    }

    @Test
    void closedServiceRejectsWork() {
        InferenceServiceImpl s = new InferenceServiceImpl();
        s.close();
        InferenceException e = failure(s, style(frames("frames", TensorType.UINT8, 1, 8, 8, 3), Map.of()));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
    }
}

package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.kinora.core.inference.InferenceEvent;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceListener;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/** Small models for the scheduler tests: each records what it saw, on the real engine. */
final class SchedulerTestModels {

    private SchedulerTestModels() {
    }

    static final long MB = 1024 * 1024;

    static TensorSpec u8(String name, long... shape) {
        return new TensorSpec(name, TensorType.UINT8, shape);
    }

    static Tensor bytes(String name, long[] shape, byte... data) {
        return new Tensor(name, TensorType.UINT8, shape, ByteBuffer.wrap(data));
    }

    static byte[] data(Tensor t) {
        ByteBuffer b = t.data().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static InferenceRequest request(String model, String tag, String job, Priority p) {
        return new InferenceRequest(model, List.of(bytes("x", new long[] {1}, (byte) 1)), Map.of("tag", tag), job, p);
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(60, TimeUnit.SECONDS), "timed out waiting for " + what);
    }

    /** Blocks its call until released, so the single worker is busy while a test queues more work. */
    static final class Gate implements BuiltinModel {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public ModelInfo info() {
            return new ModelInfo("test-gate", "test", FORMAT, "blocks until released", List.of(u8("x", -1)), List.of(u8("x", -1)));
        }

        @Override
        public NDList run(NDManager manager, NDList inputs, Map<String, Object> parameters, RunControl control) {
            started.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inputs;
        }
    }

    /** Records the {@code tag} parameter of each call in the order calls run; optionally runs {@code onCall} first. */
    static final class Record implements BuiltinModel {
        final List<String> ran = Collections.synchronizedList(new ArrayList<>());
        volatile Runnable onCall = () -> { };

        @Override
        public ModelInfo info() {
            return new ModelInfo("test-record", "test", FORMAT, "records call order", List.of(u8("x", -1)), List.of(u8("x", -1)));
        }

        @Override
        public NDList run(NDManager manager, NDList inputs, Map<String, Object> parameters, RunControl control) {
            ran.add((String) parameters.get("tag"));
            onCall.run();
            return inputs;
        }
    }

    /**
     * Batches up to 8 requests: {@code y = x + 1} per element of {@code x [N, 2]}, and {@code seen [N]} holding, on every
     * row, how many rows the call saw (so each caller can tell it ran in a batch). Records each call's rows.
     */
    static final class Batching implements BuiltinModel {
        final List<Long> calls = Collections.synchronizedList(new ArrayList<>());
        volatile Runnable onCall = () -> { };

        @Override
        public ModelInfo info() {
            return new ModelInfo("test-batching", "test", FORMAT, "adds one, in micro-batches",
                    List.of(u8("x", -1, 2)), List.of(u8("y", -1, 2), new TensorSpec("seen", TensorType.INT32, new long[] {-1})));
        }

        @Override
        public int maxBatch() {
            return 8;
        }

        @Override
        public NDList run(NDManager manager, NDList inputs, Map<String, Object> parameters, RunControl control) {
            NDArray x = inputs.get(0);
            long rows = x.getShape().get(0);
            calls.add(rows);
            onCall.run();
            NDArray seen = manager.full(new ai.djl.ndarray.types.Shape(rows), (int) rows, DataType.INT32);
            return new NDList(x.add(1).toType(DataType.UINT8, false), seen);
        }
    }

    /** A text model (BYTES in, BYTES out, no NDArrays): upper-cases each string; batches up to 4. */
    static final class Upper implements Model {
        final List<Integer> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public ModelInfo info() {
            TensorSpec text = new TensorSpec("text", TensorType.BYTES, new long[] {-1});
            return new ModelInfo("test-upper", "test", "test", "upper-cases strings", List.of(text), List.of(text));
        }

        @Override
        public int maxBatch() {
            return 4;
        }

        @Override
        public LoadedModel load(Device device) {
            return new LoadedModel() {
                @Override
                public List<Tensor> call(NDManager scope, List<Tensor> inputs, Map<String, Object> parameters, RunControl control) {
                    List<String> in = inputs.get(0).strings();
                    calls.add(in.size());
                    List<String> out = in.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
                    return List.of(Tensor.ofStrings("text", new long[] {out.size()}, out));
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /**
     * A long call of {@code steps} steps, each after a checkpoint and followed by a progress report. After its first
     * step it signals {@link #firstStep} and waits for {@link #proceed}, so a test can act while it runs.
     */
    static final class Steps implements BuiltinModel {
        final int steps;
        final CountDownLatch firstStep = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final AtomicInteger done = new AtomicInteger();

        Steps(int steps) {
            this.steps = steps;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("test-steps", "test", FORMAT, "a call of many steps", List.of(u8("x", -1)), List.of(u8("x", -1)));
        }

        @Override
        public NDList run(NDManager manager, NDList inputs, Map<String, Object> parameters, RunControl control) {
            for (int i = 0; i < steps; i++) {
                control.checkpoint();
                done.incrementAndGet();
                control.progress((i + 1) / (double) steps);
                if (i == 0) {
                    firstStep.countDown();
                    try {
                        proceed.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return inputs;
        }
    }

    /** A model with a memory estimate that records its loads and unloads; optionally fails to load. */
    static final class Sized implements Model {
        final String id;
        final long bytes;
        final AtomicInteger loads = new AtomicInteger();
        final List<String> log;

        Sized(String id, long bytes, List<String> log) {
            this.id = id;
            this.bytes = bytes;
            this.log = log;
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo(id, "test", "test", "has a memory estimate", List.of(u8("x", -1)), List.of(u8("x", -1)));
        }

        @Override
        public long memoryBytes() {
            return bytes;
        }

        @Override
        public LoadedModel load(Device device) throws InferenceException {
            loads.incrementAndGet();
            log.add("load " + id);
            return NDArrayCall.loaded(info(), (scope, in, p, c) -> in, () -> log.add("close " + id));
        }
    }

    /** Collects events; {@link #terminal} counts COMPLETED, FAILED and CANCELLED ones down. */
    static final class Events implements InferenceListener {
        final List<InferenceEvent> all = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch terminal;

        Events(int terminalEvents) {
            this.terminal = new CountDownLatch(terminalEvents);
        }

        @Override
        public void onEvent(InferenceEvent e) {
            all.add(e);
            switch (e.kind()) {
                case COMPLETED, FAILED, CANCELLED -> terminal.countDown();
                default -> { }
            }
        }

        List<InferenceEvent> of(long requestId) {
            synchronized (all) {
                return all.stream().filter(e -> e.requestId() == requestId).toList();
            }
        }
    }
}

package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The shared inference service on DJL + PyTorch. It picks its device from what the engine reports (the first GPU when
 * the engine has CUDA and sees one, else the CPU), runs one worker per active device on a shared priority queue
 * (interactive before batch, first come first served within a priority), and validates every request against the
 * model's declared tensors before queueing it.
 *
 * <p>The engine starts lazily, on the first call that needs it (it unpacks libtorch, a few seconds cold), so activation
 * is quick.
 */
@Component(service = InferenceService.class, property = "kinora.inference.backend=local")
@Designate(ocd = InferenceServiceImpl.Config.class)
public final class InferenceServiceImpl implements InferenceService, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InferenceServiceImpl.class.getName());

    /** Default bound on a request's input size: 64 Mi elements (e.g. ten 1080p RGB frames). */
    public static final long DEFAULT_MAX_INPUT_ELEMENTS = 64L * 1024 * 1024;

    /** Typed configuration (PID {@code org.kinora.inference.internal.InferenceServiceImpl}). */
    @ObjectClassDefinition(name = "Kinora inference service", description = "Devices and limits of the shared inference service.")
    public @interface Config {

        @AttributeDefinition(name = "Device", description = "auto: the first GPU when the engine reports one with CUDA, "
                + "else the CPU; cpu: always the CPU; gpu: the first GPU (fails when there is none)",
                options = {})
        String device() default "auto";

        @AttributeDefinition(name = "Largest input", description = "Most elements one request's inputs may hold in all.")
        long max_input_elements() default DEFAULT_MAX_INPUT_ELEMENTS;
    }

    /** Plain settings, for unit tests and for the config above. */
    public record Settings(String device, long maxInputElements) {

        public static Settings defaults() {
            return new Settings("auto", DEFAULT_MAX_INPUT_ELEMENTS);
        }
    }

    private final Settings settings;
    private final Map<String, Model> models = new LinkedHashMap<>();
    private final PriorityBlockingQueue<Scheduled> queue = new PriorityBlockingQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Object startLock = new Object();
    private final List<DeviceWorker> workers = new ArrayList<>();
    private volatile List<DeviceInfo> devices;
    private volatile InferenceException startFailure;
    private volatile boolean closed;

    @Activate
    public InferenceServiceImpl(Config config) {
        this(new Settings(config.device(), config.max_input_elements()), List.of());
    }

    /** With default settings and the built-in models. */
    public InferenceServiceImpl() {
        this(Settings.defaults(), List.of());
    }

    /** With the built-in models plus {@code extra} ones (tests, and later the model store). */
    InferenceServiceImpl(Settings settings, List<? extends Model> extra) {
        this.settings = settings;
        Djl.offlineDefaults();
        for (Model m : List.of(new CartoonModel(), new PencilModel(), new PaintModel())) {
            models.put(m.id(), m);
        }
        for (Model m : extra) {
            models.put(m.id(), m);
        }
    }

    @Deactivate
    @Override
    public void close() {
        List<DeviceWorker> stopping;
        synchronized (startLock) {
            closed = true;
            stopping = new ArrayList<>(workers);
            workers.clear();
        }
        InferenceException stopped = new InferenceException("the inference service stopped");
        Scheduled s;
        while ((s = queue.poll()) != null) {
            s.future.completeExceptionally(stopped);
        }
        for (DeviceWorker w : stopping) {
            try {
                w.stop(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public List<DeviceInfo> devices() {
        try {
            return start();
        } catch (InferenceException e) {
            return List.of();
        }
    }

    @Override
    public List<ModelInfo> models() {
        return models.values().stream().map(Model::info).toList();
    }

    @Override
    public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
        try {
            if (request == null) {
                throw new InferenceException("no request");
            }
            Model model = validate(request);
            start();
            Scheduled s = new Scheduled(request, model, sequence.incrementAndGet());
            queue.add(s);
            if (closed && queue.remove(s)) {
                throw new InferenceException("the inference service stopped");
            }
            return s.future;
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public int cancel(String jobId) {
        int n = 0;
        for (Scheduled s : queue) { // a snapshot: requests taken meanwhile are not removed, and they run
            if (s.belongsTo(jobId) && queue.remove(s)) {
                s.future.cancel(false);
                n++;
            }
        }
        return n;
    }

    /** Requests waiting for a device (for tests and the later scheduler view). */
    int queued() {
        return queue.size();
    }

    private Model validate(InferenceRequest r) throws InferenceException {
        Model model = r.modelId() == null ? null : models.get(r.modelId());
        if (model == null) {
            throw new InferenceException("unknown model '" + r.modelId() + "' (models: " + String.join(", ", models.keySet()) + ")");
        }
        ModelInfo info = model.info();
        String what = "model '" + info.id() + "'";
        Map<String, TensorSpec> specs = new LinkedHashMap<>();
        info.inputs().forEach(t -> specs.put(t.name(), t));
        Set<String> seen = new HashSet<>();
        long elements = 0;
        for (Tensor t : r.inputs()) {
            TensorSpec spec = specs.get(t.name());
            if (spec == null) {
                throw new InferenceException(what + ": unexpected input tensor '" + t.name() + "' (inputs: " + describe(info.inputs()) + ")");
            }
            if (!seen.add(t.name())) {
                throw new InferenceException(what + ": input tensor '" + t.name() + "' given twice");
            }
            if (t.type() != spec.type()) {
                throw new InferenceException(what + ": input tensor '" + t.name() + "' must be " + spec.type() + ", got " + t.type());
            }
            long[] want = spec.shape();
            long[] got = t.shape();
            if (got.length != want.length) {
                throw new InferenceException(what + ": input tensor '" + t.name() + "' must have rank " + want.length + " "
                        + Arrays.toString(want) + ", got rank " + got.length + " " + Arrays.toString(got));
            }
            for (int i = 0; i < want.length; i++) {
                if (want[i] >= 0 && got[i] != want[i]) {
                    throw new InferenceException(what + ": input tensor '" + t.name() + "' must have dimension " + i + " = "
                            + want[i] + " " + Arrays.toString(want) + ", got " + Arrays.toString(got));
                }
            }
            if (t.elementCount() == 0) {
                throw new InferenceException(what + ": input tensor '" + t.name() + "' is empty " + Arrays.toString(got));
            }
            elements += t.elementCount();
        }
        for (TensorSpec spec : info.inputs()) {
            if (!seen.contains(spec.name())) {
                throw new InferenceException(what + ": missing input tensor " + describe(List.of(spec)));
            }
        }
        if (elements > settings.maxInputElements()) {
            throw new InferenceException(what + ": inputs hold " + elements + " elements, more than the limit of "
                    + settings.maxInputElements() + "; send smaller batches");
        }
        return model;
    }

    private static String describe(List<TensorSpec> specs) {
        return String.join(", ", specs.stream().map(s -> "'" + s.name() + "' " + s.type() + Arrays.toString(s.shape())).toList());
    }

    /** Starts the engine and one worker per active device, once; returns the devices. */
    private List<DeviceInfo> start() throws InferenceException {
        List<DeviceInfo> d = devices;
        if (d != null) {
            return d;
        }
        synchronized (startLock) {
            if (closed) {
                throw new InferenceException("the inference service stopped");
            }
            if (devices != null) {
                return devices;
            }
            if (startFailure != null) {
                throw startFailure;
            }
            try {
                List<Device> active = new ArrayList<>();
                List<DeviceInfo> found = discover(active);
                for (Device device : active) {
                    DeviceWorker w = new DeviceWorker(device, queue);
                    workers.add(w);
                    w.start();
                }
                devices = found;
                LOG.fine(() -> "Kinora inference on " + found);
                return found;
            } catch (InferenceException e) {
                startFailure = e;
                throw e;
            }
        }
    }

    private List<DeviceInfo> discover(List<Device> active) throws InferenceException {
        int gpus;
        boolean cuda;
        try {
            int[] g = new int[1];
            boolean[] c = new boolean[1];
            Djl.call(() -> {
                Engine engine = Engine.getEngine(Djl.ENGINE);
                g[0] = engine.getGpuCount();
                c[0] = engine.hasCapability(StandardCapabilities.CUDA);
                return null;
            });
            gpus = g[0];
            cuda = c[0];
        } catch (Exception | LinkageError e) {
            throw new InferenceException("the " + Djl.ENGINE + " engine could not start: " + e.getMessage(), e);
        }
        String mode = settings.device() == null ? "auto" : settings.device().trim().toLowerCase(Locale.ROOT);
        boolean useGpu = switch (mode) {
            case "cpu" -> false;
            case "gpu" -> {
                if (gpus == 0 || !cuda) {
                    throw new InferenceException("device 'gpu' configured, but the engine reports "
                            + (gpus == 0 ? "no GPU" : gpus + " GPU(s) and no CUDA support in its libtorch"));
                }
                yield true;
            }
            case "auto" -> gpus > 0 && cuda;
            default -> throw new InferenceException("unknown device setting '" + settings.device() + "' (auto, cpu, gpu)");
        };
        List<DeviceInfo> list = new ArrayList<>();
        Device cpu = Device.cpu();
        list.add(new DeviceInfo(cpu.toString(), "cpu", !useGpu));
        for (int i = 0; i < gpus; i++) {
            Device gpu = Device.gpu(i);
            list.add(new DeviceInfo(gpu.toString(), "gpu", useGpu && i == 0));
        }
        active.add(useGpu ? Device.gpu(0) : cpu);
        return List.copyOf(list);
    }
}

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
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceListener;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.ModelStore;
import org.kinora.inference.internal.store.ModelStoreImpl;
import org.kinora.inference.internal.store.StoreCatalog;
import org.kinora.core.inference.SchedulerStatus;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The shared inference service on DJL + PyTorch. It picks its device from what the engine reports (the first GPU when
 * the engine has CUDA and sees one, else the CPU) and runs one worker per active device. Requests are validated against
 * the model's declared tensors, then scheduled (see {@link RequestQueue} for the order: priority, aging, round-robin
 * between jobs, micro-batches) and run on a device whose resident models stay under its memory budget
 * ({@link ResidentModels}, {@link DeviceBudget}).
 *
 * <p>The engine starts lazily, on the first call that needs it (it unpacks libtorch, a few seconds cold), so activation
 * is quick.
 */
@Component(service = InferenceService.class, property = InferenceServiceImpl.BACKEND_PROPERTY + "=" + InferenceServiceImpl.BACKEND_LOCAL)
@Designate(ocd = InferenceServiceImpl.Config.class)
public final class InferenceServiceImpl implements InferenceService, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InferenceServiceImpl.class.getName());

    /** The component property that tells a local inference service from a remote one. */
    public static final String BACKEND_PROPERTY = "kinora.inference.backend";
    /** This service runs models in this JVM. */
    public static final String BACKEND_LOCAL = "local";

    /** Default bound on a request's input size: 64 Mi elements (e.g. ten 1080p RGB frames). */
    public static final long DEFAULT_MAX_INPUT_ELEMENTS = 64L * 1024 * 1024;
    /** Default number of interactive batches in a row, while batch work waits, before a batch request goes next. */
    public static final int DEFAULT_INTERACTIVE_STREAK = 4;
    /** Default longest wait of batch work behind interactive work before it goes next, in milliseconds. */
    public static final long DEFAULT_BATCH_MAX_WAIT_MS = 2000;

    /** Typed configuration (PID {@code org.kinora.inference.internal.InferenceServiceImpl}). */
    @ObjectClassDefinition(name = "Kinora inference service", description = "Devices, memory and scheduling of the shared inference service.")
    public @interface Config {

        @AttributeDefinition(name = "Device", description = "auto: the first GPU when the engine reports one with CUDA, "
                + "else the CPU; cpu: always the CPU; gpu: the first GPU (fails when there is none)",
                options = {})
        String device() default "auto";

        @AttributeDefinition(name = "Largest input", description = "Most elements one request's inputs may hold in all.")
        long max_input_elements() default DEFAULT_MAX_INPUT_ELEMENTS;

        @AttributeDefinition(name = "Memory budget (MiB)", description = "Most memory the resident models of each active "
                + "device may take, by their estimates; least recently used models are unloaded to make room. 0: "
                + DeviceBudget.CPU_SHARE_PERCENT + "% of the physical RAM for the CPU, " + DeviceBudget.GPU_SHARE_PERCENT
                + "% of a GPU's memory as CUDA reports it.")
        long memory_budget_mb() default 0;

        @AttributeDefinition(name = "Interactive streak", description = "After this many interactive batches in a row "
                + "while batch (render) work waits, one batch request goes next.")
        int interactive_streak() default DEFAULT_INTERACTIVE_STREAK;

        @AttributeDefinition(name = "Batch wait bound (ms)", description = "Batch (render) work that has waited this long "
                + "behind interactive work without starting goes next.")
        long batch_max_wait_ms() default DEFAULT_BATCH_MAX_WAIT_MS;
    }

    /**
     * Plain settings, for unit tests and for the config above.
     *
     * @param memoryBudgetMb 0 for the default share of each device's memory ({@link DeviceBudget})
     */
    public record Settings(String device, long maxInputElements, long memoryBudgetMb, int interactiveStreak, long batchMaxWaitMillis) {

        public Settings(String device, long maxInputElements) {
            this(device, maxInputElements, 0, DEFAULT_INTERACTIVE_STREAK, DEFAULT_BATCH_MAX_WAIT_MS);
        }

        public static Settings defaults() {
            return new Settings("auto", DEFAULT_MAX_INPUT_ELEMENTS);
        }

        Settings withMemoryBudgetMb(long mb) {
            return new Settings(device, maxInputElements, mb, interactiveStreak, batchMaxWaitMillis);
        }

        Settings withAging(int streak, long maxWaitMillis) {
            return new Settings(device, maxInputElements, memoryBudgetMb, streak, maxWaitMillis);
        }
    }

    private final Settings settings;
    private final ModelCatalog catalog;
    private final Listeners listeners = new Listeners();
    private final Scheduler scheduler;
    private final AtomicLong sequence = new AtomicLong();
    private final Object startLock = new Object();
    private final List<DeviceWorker> workers = new ArrayList<>();
    private volatile List<DeviceInfo> devices;
    private volatile InferenceException startFailure;
    private volatile boolean closed;

    /** The service as DS starts it: the built-in models plus the verified models of the model store. */
    @Activate
    public InferenceServiceImpl(Config config, @Reference(service = ModelStore.class) ModelStore store) {
        this(new Settings(config.device(), config.max_input_elements(), config.memory_budget_mb(), config.interactive_streak(),
                config.batch_max_wait_ms()), catalog(store));
    }

    /** With default settings, the built-in models and the verified models of {@code store}. */
    public InferenceServiceImpl(ModelStoreImpl store) {
        this(Settings.defaults(), catalog(store));
    }

    private static ModelCatalog catalog(ModelStore store) {
        return store instanceof ModelStoreImpl impl
                ? new StoreCatalog(impl, ModelFormats.standard(), BuiltinCatalog.builtins())
                : new BuiltinCatalog();
    }

    /** With default settings and the built-in models. */
    public InferenceServiceImpl() {
        this(Settings.defaults(), new BuiltinCatalog());
    }

    /** With the built-in models plus {@code extra} ones (tests). */
    InferenceServiceImpl(Settings settings, List<? extends Model> extra) {
        this(settings, new BuiltinCatalog(extra));
    }

    /** With the models of {@code catalog} (the built-ins and the model store's). */
    InferenceServiceImpl(Settings settings, ModelCatalog catalog) {
        this.settings = settings;
        this.catalog = catalog;
        this.scheduler = new Scheduler(settings.interactiveStreak(), settings.batchMaxWaitMillis(), listeners);
        Djl.offlineDefaults();
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
        scheduler.close();
        for (DeviceWorker w : stopping) {
            try {
                w.join(10_000);
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
        return catalog.all().stream().map(Model::info).toList();
    }

    @Override
    public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
        try {
            if (request == null) {
                throw new InvalidInferenceRequestException("no request");
            }
            Model model = validate(request);
            start();
            Scheduled s = new Scheduled(sequence.incrementAndGet(), request, model);
            scheduler.add(s);
            return s.future;
        } catch (InferenceException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Cancels every request of the job: waiting ones leave the queue, and running ones have their futures cancelled (a
     * running batch whose requests are all cancelled stops at its model's next checkpoint; one that goes on for other
     * requests just does not deliver to the cancelled ones).
     *
     * @return how many requests were cancelled, waiting and running
     */
    @Override
    public int cancel(String jobId) {
        return scheduler.cancel(jobId);
    }

    /**
     * Stops starting batches, waits for the running ones, and unloads every resident model of every device; waiting
     * requests stay queued. Returns when the device memory is free.
     */
    @Override
    public void pause() throws InterruptedException {
        scheduler.pause();
    }

    @Override
    public void resume() {
        scheduler.resume();
    }

    /** The queue, the running requests and every started device's budget and resident models. */
    @Override
    public SchedulerStatus status() {
        return scheduler.status();
    }

    @Override
    public void addListener(InferenceListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(InferenceListener listener) {
        listeners.remove(listener);
    }

    /** Requests waiting for a device (tests). */
    int queued() {
        return scheduler.queued();
    }

    private Model validate(InferenceRequest r) throws InferenceException {
        Model model = r.modelId() == null ? null : catalog.find(r.modelId()).orElse(null);
        if (model == null) {
            throw new InvalidInferenceRequestException("unknown model '" + r.modelId() + "' (models: "
                    + String.join(", ", catalog.all().stream().map(Model::id).toList()) + ")");
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
                throw new InvalidInferenceRequestException(what + ": unexpected input tensor '" + t.name() + "' (inputs: " + describe(info.inputs()) + ")");
            }
            if (!seen.add(t.name())) {
                throw new InvalidInferenceRequestException(what + ": input tensor '" + t.name() + "' given twice");
            }
            if (t.type() != spec.type()) {
                throw new InvalidInferenceRequestException(what + ": input tensor '" + t.name() + "' must be " + spec.type() + ", got " + t.type());
            }
            long[] want = spec.shape();
            long[] got = t.shape();
            if (got.length != want.length) {
                throw new InvalidInferenceRequestException(what + ": input tensor '" + t.name() + "' must have rank " + want.length + " "
                        + Arrays.toString(want) + ", got rank " + got.length + " " + Arrays.toString(got));
            }
            for (int i = 0; i < want.length; i++) {
                if (want[i] >= 0 && got[i] != want[i]) {
                    throw new InvalidInferenceRequestException(what + ": input tensor '" + t.name() + "' must have dimension " + i + " = "
                            + want[i] + " " + Arrays.toString(want) + ", got " + Arrays.toString(got));
                }
            }
            if (t.elementCount() == 0) {
                throw new InvalidInferenceRequestException(what + ": input tensor '" + t.name() + "' is empty " + Arrays.toString(got));
            }
            elements += t.elementCount();
        }
        for (TensorSpec spec : info.inputs()) {
            if (!seen.contains(spec.name())) {
                throw new InvalidInferenceRequestException(what + ": missing input tensor " + describe(List.of(spec)));
            }
        }
        if (elements > settings.maxInputElements()) {
            throw new InvalidInferenceRequestException(what + ": inputs hold " + elements + " elements, more than the limit of "
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
                    DeviceWorker w = new DeviceWorker(device, DeviceBudget.of(device, settings.memoryBudgetMb()), scheduler);
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

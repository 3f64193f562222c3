package org.kinora.serve.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * A service with one identity model, {@value #MODEL}: one input of each datatype (named as the type in lower case, any
 * 2-D shape), each given back as the output of the same name. For tests of the wire format, where what a real model
 * does to the values would be in the way; the server under test is the real one.
 */
final class EchoService implements InferenceService {

    static final String MODEL = "echo";

    private final ModelInfo model;

    EchoService() {
        this(every());
    }

    /** With these inputs (and the same outputs) instead. */
    EchoService(List<TensorSpec> specs) {
        model = new ModelInfo(MODEL, "identity", "test", "gives its inputs back", specs, specs);
    }

    private static List<TensorSpec> every() {
        List<TensorSpec> specs = new ArrayList<>();
        for (TensorType t : TensorType.values()) {
            specs.add(new TensorSpec(name(t), t, new long[] {-1, -1}));
        }
        return specs;
    }

    static String name(TensorType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public List<DeviceInfo> devices() {
        return List.of(new DeviceInfo("echo", "cpu", true));
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(model);
    }

    @Override
    public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
        return CompletableFuture.completedFuture(new InferenceResult(MODEL, "echo", request.inputs()));
    }

    @Override
    public int cancel(String jobId) {
        return 0;
    }
}

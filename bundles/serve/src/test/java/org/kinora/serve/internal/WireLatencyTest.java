package org.kinora.serve.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.InferenceServiceImpl;

/**
 * Per-request latency over loopback, JSON against binary tensor data, through the remote client and the server: an
 * identity model (the wire alone) and style-pencil, for a 192x192 frame and a batch of two 1080p frames. Prints its
 * figures; asserts only that every answer is right. Runs with {@code -Dkinora.bench=true}:
 * {@code mvn -o -q verify -pl bundles/serve -Dtest=WireLatencyTest -Dkinora.bench=true}.
 */
@EnabledIfSystemProperty(named = "kinora.bench", matches = "true")
class WireLatencyTest {

    @Test
    void jsonAgainstBinary() throws Exception {
        try (InferenceServiceImpl local = new InferenceServiceImpl()) {
            EchoService identity = new EchoService(List.of(new TensorSpec("frames", TensorType.UINT8, new long[] {-1, -1, -1, 3})));
            // a tiny frame: a small answer, where TCP's delayed ACK would show if the server left Nagle's algorithm on
            run("identity", identity, EchoService.MODEL, Http.frames(5, 1, 4, 4), 20, 60);
            for (long[] shape : List.of(new long[] {1, 192, 192, 3}, new long[] {2, 1080, 1920, 3})) {
                boolean big = shape[1] > 500;
                Tensor frames = Http.frames(5, (int) shape[0], (int) shape[1], (int) shape[2]);
                run("identity", identity, EchoService.MODEL, frames, big ? 3 : 20, big ? 8 : 60);
                run("style-pencil", local, "style-pencil", frames, big ? 2 : 10, big ? 5 : 40);
            }
        }
    }

    private static void run(String label, InferenceService service, String model, Tensor frames, int warm, int n) throws Exception {
        InferenceRequest req = new InferenceRequest(model, List.of(frames), Map.of(), null, Priority.INTERACTIVE);
        byte[] want = Http.bytes(service.infer(req).outputs().get(0));
        double[] inProcess = time(service, req, want, warm, n);
        try (OipServer server = OipServer.start(service, new OipServer.Limits(4, 16, 1L << 30), "127.0.0.1", 0, null);
                RemoteInferenceService json = new RemoteInferenceService(server.address(), null, false);
                RemoteInferenceService binary = new RemoteInferenceService(server.address(), null, true)) {
            double[] viaJson = time(json, req, want, warm, n);
            double[] viaBinary = time(binary, req, want, warm, n);
            System.out.printf("%-13s %-16s in-process %8.1f ms | JSON %8.1f ms (+%7.1f) | binary %7.1f ms (+%6.1f)   [median of %d; mean %.1f / %.1f / %.1f]%n",
                    label, Arrays.toString(frames.shape()), inProcess[0], viaJson[0], viaJson[0] - inProcess[0], viaBinary[0],
                    viaBinary[0] - inProcess[0], n, inProcess[1], viaJson[1], viaBinary[1]);
        }
    }

    /** Median and mean milliseconds of {@code n} calls after {@code warm}, every answer checked. */
    private static double[] time(InferenceService s, InferenceRequest req, byte[] want, int warm, int n) throws Exception {
        double[] ms = new double[n];
        for (int i = -warm; i < n; i++) {
            long t0 = System.nanoTime();
            Tensor out = s.infer(req).outputs().get(0);
            long t1 = System.nanoTime();
            assertArrayEquals(want, Http.bytes(out));
            if (i >= 0) {
                ms[i] = (t1 - t0) / 1e6;
            }
        }
        double mean = Arrays.stream(ms).average().orElse(0);
        Arrays.sort(ms);
        return new double[] {ms[n / 2], mean};
    }
}

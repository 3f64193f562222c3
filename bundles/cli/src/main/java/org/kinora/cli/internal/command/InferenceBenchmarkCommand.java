package org.kinora.cli.internal.command;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kinora.cli.internal.Services;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceServer;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kinora benchmark inference}: MoveNet through Kinora's inference service against the same TF.js graph model run
 * by TF.js itself on Node (its WebAssembly and plain-JavaScript CPU backends), measured in the same run on the same
 * input; then the remote (Open Inference Protocol) path against the local one, and latency percentiles under
 * concurrent load.
 */
@Command(name = "inference", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the inference service: MoveNet frames/s through Kinora vs. TF.js on Node (same model files, same"
                + " input, same run), the overhead of the remote path (kinora serve on loopback) over a local call, and p50/p99"
                + " latency with concurrent clients. Needs the MoveNet models (kinora models fetch movenet-lightning"
                + " movenet-thunder); the TF.js side needs node and npm (its packages are installed with npm ci the first time)."})
public final class InferenceBenchmarkCommand implements Callable<Integer> {

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--models", defaultValue = "movenet-lightning,movenet-thunder", split = ",",
            description = "TF.js models to compare with TF.js on Node (default: movenet-lightning,movenet-thunder).")
    List<String> models;

    @Option(names = "--frames", defaultValue = "100", description = "Frames per measurement (default: 100).")
    int frames;

    @Option(names = "--tfjs-cpu-frames", defaultValue = "5",
            description = "Frames for TF.js's plain-JavaScript CPU backend, which is slow (default: 5; 0 skips it).")
    int tfjsCpuFrames;

    @Option(names = "--no-tfjs", description = "Skip the TF.js on Node comparison.")
    boolean noTfjs;

    @Option(names = "--clients", defaultValue = "8", description = "Concurrent clients for the latency measurement (default: 8).")
    int clients;

    @Option(names = "--requests", defaultValue = "25", description = "Requests per client (default: 25).")
    int requests;

    public InferenceBenchmarkCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InferenceService local = services.inference();
        out.printf("inference benchmark on %s%n",
                local.devices().stream().filter(DeviceInfo::active).map(DeviceInfo::id).toList());
        List<String> present = new ArrayList<>();
        for (String id : models) {
            if (services.models().card(id).isEmpty() || !services.models().verify(id).isEmpty()) {
                out.printf("%s: not in the model store or damaged; run: kinora models fetch %s%n", id, id);
            } else {
                present.add(id);
            }
        }
        if (present.isEmpty()) {
            out.println("nothing to measure");
            return 1;
        }
        out.println();
        out.printf("%-18s %-34s %10s %10s%n", "model", "runner", "frames/s", "ms/frame");
        for (String id : present) {
            compareWithTfjs(out, local, id);
        }
        out.flush();
        remotePath(out, local, present.get(0));
        out.flush();
        return 0;
    }

    // ---- remote (Open Inference Protocol on loopback) vs local ------------------------------------------------------

    private void remotePath(PrintWriter out, InferenceService local, String id) throws Exception {
        InferenceServer server = services.server();
        out.println();
        if (server == null) {
            out.println("remote path skipped: the serve bundle is not running");
            return;
        }
        ModelCard card = services.models().card(id).orElseThrow();
        Tensor frame = pattern(1, inputSize(services.models().verifiedFolder(id), card));
        try (InferenceServer.Running running = server.start("127.0.0.1", 0, null)) {
            InferenceService remote = server.client(running.address(), null);
            try {
                out.printf("remote path: %s, one %s frame per request, through kinora serve at %s%n", id,
                        Arrays.toString(frame.shape()), running.address());
                int n = Math.max(20, requests * 2);
                Latencies l = sequential(local, id, frame, n);
                Latencies r = sequential(remote, id, frame, n);
                out.printf("%-36s %10s %10s %10s%n", "one client, " + n + " requests", "p50 ms", "p99 ms", "req/s");
                out.printf("%-36s %10.2f %10.2f %10.2f%n", "local call", l.p(50), l.p(99), l.perSecond());
                out.printf("%-36s %10.2f %10.2f %10.2f%n", "remote call (HTTP, binary tensors)", r.p(50), r.p(99), r.perSecond());
                out.printf("remote overhead per request: %+.2f ms at p50 (remote/local %.2fx)%n", r.p(50) - l.p(50), r.p(50) / l.p(50));
                out.println();
                out.printf("%-36s %10s %10s %10s%n", clients + " clients x " + requests + " requests", "p50 ms", "p99 ms", "req/s");
                Latencies lc = concurrent(local, id, frame);
                Latencies rc = concurrent(remote, id, frame);
                out.printf("%-36s %10.2f %10.2f %10.2f%n", "local", lc.p(50), lc.p(99), lc.perSecond());
                out.printf("%-36s %10.2f %10.2f %10.2f%n", "remote", rc.p(50), rc.p(99), rc.perSecond());
                out.printf("throughput remote/local under load: %.2f (micro-batching on the server: up to the model's batch size)%n",
                        rc.perSecond() / lc.perSecond());
            } finally {
                if (remote instanceof AutoCloseable c) {
                    c.close();
                }
            }
        }
    }

    /** Request latencies (ms) and the wall time they took. */
    record Latencies(double[] millis, double wallSeconds) {
        double p(int percentile) {
            double[] s = millis.clone();
            Arrays.sort(s);
            int i = (int) Math.ceil(percentile / 100.0 * s.length) - 1;
            return s[Math.max(0, Math.min(s.length - 1, i))];
        }

        double perSecond() {
            return millis.length / wallSeconds;
        }
    }

    private static Latencies sequential(InferenceService service, String id, Tensor frame, int n) throws Exception {
        InferenceRequest req = new InferenceRequest(id, List.of(frame), Map.of(), "benchmark", Priority.INTERACTIVE);
        for (int i = 0; i < 5; i++) {
            service.infer(req);
        }
        double[] ms = new double[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            service.infer(req);
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        return new Latencies(ms, (System.nanoTime() - t0) / 1e9);
    }

    private Latencies concurrent(InferenceService service, String id, Tensor frame) throws Exception {
        double[] ms = new double[clients * requests];
        Thread[] threads = new Thread[clients];
        Exception[] failure = new Exception[1];
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads[c] = new Thread(() -> {
                InferenceRequest req = new InferenceRequest(id, List.of(frame), Map.of(), "benchmark-" + client, Priority.BATCH);
                for (int i = 0; i < requests; i++) {
                    long s = System.nanoTime();
                    try {
                        service.infer(req);
                    } catch (Exception e) {
                        synchronized (failure) {
                            failure[0] = e;
                        }
                        return;
                    }
                    ms[client * requests + i] = (System.nanoTime() - s) / 1e6;
                }
            }, "kinora-bench-client-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return new Latencies(ms, (System.nanoTime() - t0) / 1e9);
    }

    // ---- Kinora vs TF.js on Node ---------------------------------------------------------------------------------

    private void compareWithTfjs(PrintWriter out, InferenceService local, String id) throws Exception {
        ModelCard card = services.models().card(id).orElseThrow();
        int size = inputSize(services.models().verifiedFolder(id), card);
        Tensor one = pattern(1, size);
        double kinora = framesPerSecond(local, id, one, frames);
        out.printf("%-18s %-34s %10.2f %10.2f%n", id, "kinora (1 frame per call)", kinora, 1000 / kinora);
        Tensor eight = pattern(8, size);
        double batched = framesPerSecond(local, id, eight, Math.max(8, frames / 8 * 8));
        out.printf("%-18s %-34s %10.2f %10.2f%n", "", "kinora (8 frames per call)", batched, 1000 / batched);
        if (noTfjs) {
            return;
        }
        Optional<Path> bench = tfjsBench(out);
        if (bench.isEmpty()) {
            return;
        }
        Path dir = services.models().verifiedFolder(id);
        Double wasm = tfjs(out, bench.get(), dir, "wasm", frames);
        if (wasm != null) {
            out.printf("%-18s %-34s %10.2f %10.2f%n", "", "tfjs-node wasm backend", wasm, 1000 / wasm);
        }
        Double cpu = tfjsCpuFrames > 0 ? tfjs(out, bench.get(), dir, "cpu", tfjsCpuFrames) : null;
        if (cpu != null) {
            out.printf("%-18s %-34s %10.2f %10.2f%n", "", "tfjs-node cpu backend (plain JS)", cpu, 1000 / cpu);
        }
        if (wasm != null) {
            out.printf("%-18s ratio kinora / tfjs wasm: %.2f (1 frame per call), %.2f (8 per call)%n", "", kinora / wasm, batched / wasm);
        }
    }

    /** The square input side of a MoveNet graph: 192 (lightning) or 256 (thunder), from its model.json signature. */
    static int inputSize(Path folder, ModelCard card) throws IOException {
        Path json = folder.resolve(card.files().stream().filter(f -> f.path().endsWith(".json")).findFirst().orElseThrow().path());
        String text = Files.readString(json, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"dim\"\\s*:\\s*\\[\\s*\\{\\s*\"size\"\\s*:\\s*\"-?1\"\\s*}\\s*,\\s*\\{\\s*\"size\"\\s*:\\s*\"(\\d+)\"")
                .matcher(text);
        return m.find() ? Integer.parseInt(m.group(1)) : 256;
    }

    /** The input bench.mjs feeds TF.js: {@code (i * 37) % 256} over a square RGB picture, here {@code n} times. */
    static Tensor pattern(int n, int size) {
        int len = size * size * 3;
        ByteBuffer b = ByteBuffer.allocateDirect(n * len);
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < len; i++) {
                b.put((byte) ((i * 37) % 256));
            }
        }
        return new Tensor("image", TensorType.UINT8, new long[] {n, size, size, 3}, b.flip());
    }

    private static double framesPerSecond(InferenceService service, String id, Tensor input, int total) throws Exception {
        InferenceRequest req = new InferenceRequest(id, List.of(input), Map.of(), "benchmark", Priority.INTERACTIVE);
        for (int i = 0; i < 5; i++) {
            service.infer(req); // warm-up: model load, first-call allocations
        }
        long per = input.shape()[0];
        long t0 = System.nanoTime();
        long done = 0;
        while (done < total) {
            service.infer(req);
            done += per;
        }
        return done / ((System.nanoTime() - t0) / 1e9);
    }

    /** bench.mjs beside the TF.js reference fixtures, with its npm packages installed (npm ci, once). */
    private Optional<Path> tfjsBench(PrintWriter out) throws Exception {
        Path dir = home().resolve("bundles/inference/src/test/reference/tfjs");
        if (!Files.isRegularFile(dir.resolve("bench.mjs"))) {
            out.printf("%-18s TF.js comparison skipped: %s not found%n", "", dir.resolve("bench.mjs"));
            return Optional.empty();
        }
        if (!Files.isDirectory(dir.resolve("node_modules/@tensorflow/tfjs-backend-wasm"))) {
            out.printf("%-18s installing TF.js for the comparison: npm ci in %s ...%n", "", dir);
            out.flush();
            Result r = run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), 600);
            if (r.code != 0) {
                out.printf("%-18s TF.js comparison skipped: npm ci failed: %s%n", "", r.tail());
                return Optional.empty();
            }
        }
        return Optional.of(dir.resolve("bench.mjs"));
    }

    private Double tfjs(PrintWriter out, Path bench, Path modelDir, String backend, int n) throws Exception {
        Result r = run(bench.getParent(), List.of("node", bench.getFileName().toString(), modelDir.toString(), backend,
                Integer.toString(n)), 900);
        Matcher m = Pattern.compile("fps=([0-9.]+)").matcher(r.text);
        if (r.code != 0 || !m.find()) {
            out.printf("%-18s tfjs %s failed: %s%n", "", backend, r.tail());
            return null;
        }
        return Double.parseDouble(m.group(1));
    }

    /** The Kinora checkout: {@code kinora.checkout}, else derived from the launcher jar (bundles/runtime/target/kinora/lib). */
    static Path home() {
        String h = System.getProperty("kinora.checkout");
        if (h != null) {
            return Path.of(h);
        }
        String jar = System.getProperty("kinora.launcher.jar");
        if (jar != null) {
            Path p = Path.of(jar).toAbsolutePath();
            for (int i = 0; i < 6 && p != null; i++) {
                p = p.getParent();
            }
            if (p != null) {
                return p;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    record Result(int code, String text) {
        String tail() {
            String[] lines = text.strip().split("\n");
            return String.join(" | ", Arrays.copyOfRange(lines, Math.max(0, lines.length - 3), lines.length));
        }
    }

    private static Result run(Path dir, List<String> cmd, int timeoutSeconds) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Result(127, cmd.get(0) + " not found (" + e.getMessage() + ")");
        }
        byte[] text = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(124, "timed out after " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(text, StandardCharsets.UTF_8));
    }
}

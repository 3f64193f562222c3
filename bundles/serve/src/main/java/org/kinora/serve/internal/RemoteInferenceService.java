package org.kinora.serve.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * An {@link InferenceService} that sends every model call to an Open Inference Protocol server (another
 * {@code kinora serve}, Triton, KServe) over HTTP/1.1. It lists the server's models from
 * {@code POST /v2/repository/index} and {@code GET /v2/models/{id}}, and needs nothing beyond the protocol in the
 * answers. A server that is busy (503) is asked again a few times with a growing pause.
 *
 * <p>Tensors go as raw bytes after the JSON, and come back so, with the binary tensor data extension
 * ({@link BinaryTensors}) when the server lists it in {@code GET /v2} (as Triton's clients do): far less to write,
 * send and parse than JSON numbers, and exactly the bytes. With a server that does not list it, or with
 * {@value #BINARY_PROPERTY}{@code =false} (environment {@value #BINARY_ENV}), tensors go as JSON.
 */
public final class RemoteInferenceService implements InferenceService, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RemoteInferenceService.class.getName());
    private static final int RETRIES_WHEN_BUSY = 6;

    /** System property that, set to {@code false}, keeps tensors in JSON (also with servers that take binary data). */
    public static final String BINARY_PROPERTY = "kinora.inference.binary";
    /** Environment variable for the same, when the property is not set. */
    public static final String BINARY_ENV = "KINORA_INFERENCE_BINARY";

    private final URI base;
    private final String display;
    private final String authorization;
    private final HttpClient client;
    private final ExecutorService readers;
    /** Calls in flight, by job id (calls without a job under ""). */
    private final Map<String, Set<Call>> calls = new ConcurrentHashMap<>();
    private final boolean binaryWanted;
    /** Whether the server takes binary tensor data: asked once, on the first call. */
    private final AtomicReference<CompletableFuture<Boolean>> serverBinary = new AtomicReference<>();

    /**
     * Binary tensor data unless {@value #BINARY_PROPERTY} / {@value #BINARY_ENV} is {@code false}.
     *
     * @param url   the server, e.g. {@code http://gpu-box:8000} (a trailing {@code /v2} is allowed)
     * @param token the bearer token, or null
     * @throws IllegalArgumentException when the URL is not http(s)
     */
    public RemoteInferenceService(URI url, String token) {
        this(url, token, binaryByDefault());
    }

    /**
     * @param url    the server, e.g. {@code http://gpu-box:8000} (a trailing {@code /v2} is allowed)
     * @param token  the bearer token, or null
     * @param binary send and ask for binary tensor data when the server lists the extension; false: JSON only
     * @throws IllegalArgumentException when the URL is not http(s)
     */
    public RemoteInferenceService(URI url, String token, boolean binary) {
        this.binaryWanted = binary;
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("inference server URL '" + url + "' is not an http(s) URL such as http://host:8000");
        }
        String s = url.toString().replaceAll("/+$", "");
        if (s.endsWith("/v2")) {
            s = s.substring(0, s.length() - 3);
        }
        this.base = URI.create(s);
        this.display = s;
        this.authorization = token == null || token.isBlank() ? null : "Bearer " + token.strip();
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kinora-remote-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(readers).build();
    }

    /** Whether {@value #BINARY_PROPERTY} / {@value #BINARY_ENV} leave binary tensor data on (they do unless false, 0, no, off or json). */
    static boolean binaryByDefault() {
        String v = RemoteBackend.setting(BINARY_PROPERTY, BINARY_ENV);
        return v == null || !java.util.Set.of("false", "0", "no", "off", "json").contains(v.toLowerCase(java.util.Locale.ROOT));
    }

    /** The server, as shown in {@link #devices()}. */
    public String url() {
        return display;
    }

    @Override
    public List<DeviceInfo> devices() {
        return List.of(new DeviceInfo(device(), "remote", true));
    }

    private String device() {
        return "remote(" + display + ")";
    }

    /** The server's ready models; empty (with a warning in the log) when the server cannot be reached. */
    @Override
    public List<ModelInfo> models() {
        try {
            return fetchModels();
        } catch (InferenceException e) {
            LOG.warning(e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The server's ready models, or why they cannot be listed. */
    public List<ModelInfo> fetchModels() throws InferenceException, InterruptedException {
        JsonNode index = getJson(request("/v2/repository/index").POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json"), "list its models (POST /v2/repository/index)");
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode e : index) {
            String state = e.path("state").asText("READY");
            if (e.hasNonNull("name") && (state.isEmpty() || state.equalsIgnoreCase("READY"))) {
                names.add(e.get("name").asText());
            }
        }
        List<ModelInfo> models = new ArrayList<>();
        for (String name : names) {
            JsonNode m = getJson(request("/v2/models/" + encode(name)).GET(), "describe model '" + name + "'");
            try {
                models.add(new ModelInfo(name, m.path("parameters").path("task").asText("remote"), m.path("platform").asText("remote"),
                        m.path("parameters").path("description").asText("model '" + name + "' on " + display),
                        specs(m.path("inputs")), specs(m.path("outputs"))));
            } catch (IllegalArgumentException e) {
                LOG.warning("inference server " + display + ": model '" + name + "' is left out: " + e.getMessage());
            }
        }
        return models;
    }

    private static List<TensorSpec> specs(JsonNode list) {
        List<TensorSpec> out = new ArrayList<>();
        for (JsonNode s : list) {
            JsonNode shape = s.path("shape");
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = shape.get(i).asLong();
            }
            out.add(new TensorSpec(s.path("name").asText(), TensorType.ofProtocolName(s.path("datatype").asText()), dims));
        }
        return out;
    }

    @Override
    public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
        if (request == null || request.modelId() == null) {
            return CompletableFuture.failedFuture(new InferenceException("no request, or no model id"));
        }
        Call call = new Call(request.jobId() == null ? "" : request.jobId(), request.modelId());
        calls.computeIfAbsent(call.job, k -> ConcurrentHashMap.newKeySet()).add(call);
        call.result.whenComplete((r, e) -> calls.computeIfPresent(call.job, (k, set) -> {
            set.remove(call);
            return set.isEmpty() ? null : set;
        }));
        binaryData().whenComplete((binary, e) -> {
            HttpRequest http;
            try {
                http = inferRequest(request, Boolean.TRUE.equals(binary));
            } catch (IOException | RuntimeException x) {
                call.result.completeExceptionally(new InferenceException("model '" + request.modelId() + "': " + x.getMessage(), x));
                return;
            }
            call.start(http);
        });
        return call.result;
    }

    private HttpRequest inferRequest(InferenceRequest request, boolean binary) throws IOException {
        Map<String, Object> parameters = new LinkedHashMap<>(request.parameters());
        // Triton's integer priorities (1 the highest); a Kinora server reads them the same way
        parameters.put(OipServer.PRIORITY, request.priority() == Priority.INTERACTIVE ? 1 : 2);
        if (request.jobId() != null) {
            parameters.put(OipServer.JOB_ID, request.jobId());
        }
        if (binary) {
            parameters.put(BinaryTensors.ALL_OUTPUTS, true);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InferJson.writeRequest(out, new InferJson.Request(UUID.randomUUID().toString(), parameters, request.inputs(), List.of()), binary);
        HttpRequest.Builder b = request("/v2/models/" + encode(request.modelId()) + "/infer");
        if (!binary) {
            return b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build();
        }
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        parts.add(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
        for (Tensor t : request.inputs()) {
            parts.add(publisher(t));
        }
        return b.setHeader("Accept", BinaryTensors.CONTENT_TYPE + ", application/json").header("Content-Type", BinaryTensors.CONTENT_TYPE)
                .header(BinaryTensors.HEADER_LENGTH, Integer.toString(out.size()))
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))).build();
    }

    /** A tensor's bytes as they are, not copied when they are on the heap. */
    private static HttpRequest.BodyPublisher publisher(Tensor t) {
        ByteBuffer d = t.data().duplicate();
        if (d.hasArray()) {
            return HttpRequest.BodyPublishers.ofByteArray(d.array(), d.arrayOffset() + d.position(), d.remaining());
        }
        byte[] copy = new byte[d.remaining()];
        d.get(copy);
        return HttpRequest.BodyPublishers.ofByteArray(copy);
    }

    /**
     * Whether to send binary tensor data: when wanted and the server lists the extension in {@code GET /v2}. Asked once;
     * an answer that does not come (the server is down, say) is not kept, and that call goes as JSON.
     */
    private CompletableFuture<Boolean> binaryData() {
        if (!binaryWanted) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> f = serverBinary.get();
        if (f != null) {
            return f;
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        if (!serverBinary.compareAndSet(null, mine)) {
            return serverBinary.get();
        }
        client.sendAsync(request("/v2").timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                .whenComplete((r, e) -> {
                    if (e != null || r.statusCode() != 200) {
                        serverBinary.compareAndSet(mine, null);
                        mine.complete(false);
                        return;
                    }
                    boolean listed = false;
                    try {
                        for (JsonNode x : InferJson.MAPPER.readTree(r.body()).path("extensions")) {
                            listed |= BinaryTensors.EXTENSION.equals(x.asText());
                        }
                    } catch (IOException | RuntimeException notJson) {
                        LOG.fine(() -> "inference server " + display + ": GET /v2 is not JSON; tensors go as JSON");
                    }
                    if (!listed) {
                        LOG.info("inference server " + display + " does not list the " + BinaryTensors.EXTENSION + " extension; tensors go as JSON");
                    }
                    mine.complete(listed);
                });
        return mine;
    }

    /** Cancels the job's calls in flight: their HTTP exchanges are aborted and their futures cancelled. */
    @Override
    public int cancel(String jobId) {
        Set<Call> set = calls.get(jobId == null ? "" : jobId);
        int n = 0;
        if (set != null) {
            for (Call c : List.copyOf(set)) {
                if (c.cancel()) {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public void close() {
        for (Set<Call> set : calls.values()) {
            List.copyOf(set).forEach(Call::cancel);
        }
        readers.shutdownNow();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private JsonNode getJson(HttpRequest.Builder b, String what) throws InferenceException, InterruptedException {
        HttpResponse<byte[]> r;
        try {
            r = client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new InferenceException("inference server " + display + " could not " + what + ": " + e, e);
        }
        if (r.statusCode() != 200) {
            throw new InferenceException("inference server " + display + " could not " + what + ": HTTP " + r.statusCode() + errorText(r.body()));
        }
        try {
            return InferJson.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new InferenceException("inference server " + display + " could not " + what + ": its answer is not JSON: " + e.getMessage(), e);
        }
    }

    private static String errorText(byte[] body) {
        try {
            JsonNode n = InferJson.MAPPER.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                return ": " + n.get("error").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not the protocol's error document
        }
        return "";
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One model call: its HTTP exchange (again when the server was busy), then the reading of its answer. */
    private final class Call {
        final String job;
        final String model;
        final CompletableFuture<InferenceResult> result = new CompletableFuture<>();
        private volatile HttpRequest http;
        private volatile CompletableFuture<?> exchange;
        private volatile InputStream body;

        Call(String job, String model) {
            this.job = job;
            this.model = model;
        }

        void start(HttpRequest request) {
            http = request;
            send(0);
        }

        void send(int attempt) {
            if (result.isDone()) {
                return;
            }
            CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(http, HttpResponse.BodyHandlers.ofInputStream());
            exchange = f;
            f.whenCompleteAsync((r, e) -> {
                if (e != null) {
                    fail(e);
                } else {
                    answer(r, attempt);
                }
            }, readers);
        }

        private void answer(HttpResponse<InputStream> r, int attempt) {
            body = r.body();
            try (InputStream in = r.body()) {
                if (result.isDone()) {
                    return;
                }
                int status = r.statusCode();
                if (status == 503 && attempt < RETRIES_WHEN_BUSY) {
                    in.close();
                    long pause = 100L << attempt;
                    CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS, readers).execute(() -> send(attempt + 1));
                    return;
                }
                if (status != 200) {
                    String text = "model '" + model + "' on " + display + " failed: HTTP " + status + errorText(in.readNBytes(1 << 16));
                    // 400/404: the server found the request itself wrong (bad tensors, unknown model), as the local service would
                    result.completeExceptionally(status == 400 || status == 404 ? new InvalidInferenceRequestException(text) : new InferenceException(text));
                    return;
                }
                Optional<String> headerLength = r.headers().firstValue(BinaryTensors.HEADER_LENGTH);
                InferJson.Response resp;
                if (headerLength.isPresent()) {
                    long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                    long h = BinaryTensors.headerLength(headerLength.get(), length);
                    resp = InferJson.readResponse(in, h, length < 0 ? -1 : length - h);
                } else {
                    resp = InferJson.readResponse(in);
                }
                result.complete(new InferenceResult(model, device(), resp.outputs()));
            } catch (IOException | IllegalArgumentException | UncheckedIOException e) {
                fail(e);
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private void fail(Throwable e) {
            Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (c instanceof CancellationException || result.isDone()) {
                result.cancel(false);
                return;
            }
            result.completeExceptionally(new InferenceException("model '" + model + "' on " + display + " failed: " + c, c));
        }

        boolean cancel() {
            boolean cancelled = result.cancel(false);
            CompletableFuture<?> x = exchange;
            if (x != null) {
                x.cancel(true);
            }
            InputStream in = body;
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing only to abort the exchange
                }
            }
            return cancelled;
        }
    }
}

package org.kinora.serve.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.logging.Logger;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;

/**
 * An {@link InferenceService} that sends every model call to an Open Inference Protocol server (another
 * {@code kinora serve}, Triton, KServe) over HTTP/1.1 with JSON tensors. It lists the server's models from
 * {@code POST /v2/repository/index} and {@code GET /v2/models/{id}}, and needs nothing beyond the protocol in the
 * answers. A server that is busy (503) is asked again a few times with a growing pause.
 */
public final class RemoteInferenceService implements InferenceService, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RemoteInferenceService.class.getName());
    private static final int RETRIES_WHEN_BUSY = 6;

    private final URI base;
    private final String display;
    private final String authorization;
    private final HttpClient client;
    private final ExecutorService readers;
    /** Calls in flight, by job id (calls without a job under ""). */
    private final Map<String, Set<Call>> calls = new ConcurrentHashMap<>();

    /**
     * @param url   the server, e.g. {@code http://gpu-box:8000} (a trailing {@code /v2} is allowed)
     * @param token the bearer token, or null
     * @throws IllegalArgumentException when the URL is not http(s)
     */
    public RemoteInferenceService(URI url, String token) {
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
        byte[] body;
        try {
            Map<String, Object> parameters = new LinkedHashMap<>(request.parameters());
            // Triton's integer priorities (1 the highest); a Kinora server reads them the same way
            parameters.put(OipServer.PRIORITY, request.priority() == Priority.INTERACTIVE ? 1 : 2);
            if (request.jobId() != null) {
                parameters.put(OipServer.JOB_ID, request.jobId());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InferJson.writeRequest(out, new InferJson.Request(UUID.randomUUID().toString(), parameters, request.inputs(), List.of()));
            body = out.toByteArray();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new InferenceException("model '" + request.modelId() + "': " + e.getMessage(), e));
        }
        HttpRequest http = request("/v2/models/" + encode(request.modelId()) + "/infer").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        Call call = new Call(request.jobId() == null ? "" : request.jobId(), request.modelId(), http);
        calls.computeIfAbsent(call.job, k -> ConcurrentHashMap.newKeySet()).add(call);
        call.result.whenComplete((r, e) -> calls.computeIfPresent(call.job, (k, set) -> {
            set.remove(call);
            return set.isEmpty() ? null : set;
        }));
        call.send(0);
        return call.result;
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
        final HttpRequest http;
        final CompletableFuture<InferenceResult> result = new CompletableFuture<>();
        private volatile CompletableFuture<?> exchange;
        private volatile InputStream body;

        Call(String job, String model, HttpRequest http) {
            this.job = job;
            this.model = model;
            this.http = http;
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
                InferJson.Response resp = InferJson.readResponse(in);
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

package org.kinora.serve.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceServer;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * An Open Inference Protocol (KServe v2 REST) server for one {@link InferenceService}, on the JDK's HTTP server.
 *
 * <p>Memory is bounded by admission: at most {@code maxInFlight} inference requests read their bodies and run at once,
 * at most {@code maxWaiting} more wait (holding a connection, nothing else), and any beyond get 503 at once. Bodies are
 * refused from their declared length before anything is read (413) and counted while read (chunked bodies). Tensors
 * and tokens are never logged.
 *
 * <p>Tensors come and go as JSON, or as raw bytes after the JSON with the binary tensor data extension
 * ({@link BinaryTensors}): inputs whose JSON says {@code binary_data_size}, outputs the request asks for with
 * {@code binary_data} (or all of them with the request parameter {@code binary_data_output}). A response without binary
 * outputs is plain JSON.
 */
final class OipServer implements InferenceServer.Running {

    private static final Logger LOG = Logger.getLogger(OipServer.class.getName());

    /** Every model is served as this one version (the service has no versions). */
    static final String MODEL_VERSION = "1";

    /** Request parameters the server takes for itself instead of passing them to the model. */
    static final String PRIORITY = "priority";
    static final String JOB_ID = "job_id";

    /** The JDK server's switch for TCP_NODELAY on its connections. */
    private static final String NO_DELAY = "sun.net.httpserver.nodelay";
    /** The JDK server's bound on reading one request (line, headers and body), in seconds. */
    private static final String MAX_REQUEST_SECONDS = "sun.net.httpserver.maxReqTime";
    /** Five minutes: a request at the body limit (256 MiB) over a slow 10 Mbit/s link still arrives in time. */
    private static final String DEFAULT_MAX_REQUEST_SECONDS = "300";

    /**
     * The server's bounds.
     *
     * @param maxInFlight  inference requests read and run at once
     * @param maxWaiting   inference requests waiting for one of those slots; more get 503
     * @param maxBodyBytes the largest request body
     */
    record Limits(int maxInFlight, int maxWaiting, long maxBodyBytes) {
        Limits {
            if (maxInFlight < 1 || maxWaiting < 0 || maxBodyBytes < 1) {
                throw new IllegalArgumentException("bad server limits: " + maxInFlight + " in flight, " + maxWaiting + " waiting, "
                        + maxBodyBytes + " body bytes");
            }
        }

        static Limits defaults() {
            return new Limits(4, 64, 256L << 20);
        }
    }

    private final InferenceService service;
    private final Limits limits;
    private final BearerToken token;
    private final HttpServer http;
    private final ThreadPoolExecutor executor;
    private final Semaphore slots;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicLong binaryRequests = new AtomicLong();
    private final URI address;
    private final String version;
    private final boolean binaryData;

    private OipServer(InferenceService service, Limits limits, BearerToken token, HttpServer http, ThreadPoolExecutor executor, URI address,
            boolean binaryData) {
        this.service = service;
        this.binaryData = binaryData;
        this.limits = limits;
        this.token = token;
        this.http = http;
        this.executor = executor;
        this.address = address;
        this.slots = new Semaphore(limits.maxInFlight(), true);
        this.version = version();
    }

    /**
     * Binds and starts a server.
     *
     * @throws InferenceException when the address cannot be bound, or is not a loopback one and no token is given
     */
    static OipServer start(InferenceService service, Limits limits, String host, int port, String token) throws InferenceException {
        return start(service, limits, host, port, token, true, null);
    }

    /**
     * Binds and starts a server, with or without the binary tensor data extension (without it, it answers as servers
     * that lack it: JSON only, binary requests refused), and with {@code site} answering every path outside {@code /v2}
     * (null: 404).
     */
    static OipServer start(InferenceService service, Limits limits, String host, int port, String token, boolean binaryData,
            com.sun.net.httpserver.HttpHandler site) throws InferenceException {
        String h = host == null || host.isBlank() ? "127.0.0.1" : host.strip();
        if (port < 0 || port > 65535) {
            throw new InferenceException("port must be in 0..65535 (0 = any free port), got " + port);
        }
        InetAddress addr;
        try {
            addr = InetAddress.getByName(h);
        } catch (UnknownHostException e) {
            throw new InferenceException("cannot listen on '" + h + "': unknown host");
        }
        boolean hasToken = token != null && !token.isBlank();
        if (!addr.isLoopbackAddress() && !hasToken) {
            throw new InferenceException("refusing to listen on " + h + " without a token: anyone who can reach that address could run"
                    + " models. Give a token (--token or KINORA_TOKEN; clients send 'Authorization: Bearer <token>'), or listen on"
                    + " 127.0.0.1");
        }
        // the waiting requests hold a thread each; a few more keep health and metadata answering under load
        int threads = limits.maxInFlight() + limits.maxWaiting() + 4;
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "kinora-oip-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
        jdkServerSettings();
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(addr, port), 128);
        } catch (BindException e) {
            executor.shutdown();
            throw new InferenceException("cannot listen on " + h + ":" + port + ": " + e.getMessage()
                    + (port != 0 ? " (another program may use that port; try --port 0 for any free one)" : ""), e);
        } catch (IOException e) {
            executor.shutdown();
            throw new InferenceException("cannot listen on " + h + ":" + port + ": " + e.getMessage(), e);
        }
        int bound = http.getAddress().getPort();
        String uriHost = addr instanceof Inet6Address ? "[" + addr.getHostAddress() + "]" : addr.getHostAddress();
        OipServer server = new OipServer(service, limits, hasToken ? new BearerToken(token.strip()) : null, http, executor,
                URI.create("http://" + uriHost + ":" + bound + "/v2"), binaryData);
        http.setExecutor(executor);
        // the longest matching context wins: /v2... is the protocol's, everything else the site's
        http.createContext("/v2", server::handle);
        http.createContext("/", site != null ? site : server::handle);
        http.start();
        return server;
    }

    /**
     * Settings of the JDK server, which it reads once, when its classes load (one set on the command line stays).
     *
     * <p>Turns Nagle's algorithm off on its connections (it leaves it on): the server sends a response's
     * headers, then its body; with Nagle on, a small body waits for the client's delayed ACK of the headers, 40 ms on
     * Linux, which was most of a small request's time (a MoveNet frame: +47 ms remote against local; about +0 without).
     */
    private static void jdkServerSettings() {
        if (System.getProperty(NO_DELAY) == null) {
            System.setProperty(NO_DELAY, "true");
        }
        // a client that stops sending mid-request would otherwise hold its admission slot until it disconnects (the JDK
        // server has no read timeout of its own): past this bound the server closes the connection, freeing the slot
        if (System.getProperty(MAX_REQUEST_SECONDS) == null) {
            System.setProperty(MAX_REQUEST_SECONDS, DEFAULT_MAX_REQUEST_SECONDS);
        }
    }

    @Override
    public URI address() {
        return address;
    }

    @Override
    public List<ModelInfo> models() {
        return service.models();
    }

    /** Inference requests read with binary tensor data so far. */
    long binaryRequests() {
        return binaryRequests.get();
    }

    /** Inference requests admitted now (running or waiting for a slot). */
    int admitted() {
        return admitted.get();
    }

    /** Stops listening; requests in flight get a second to finish, then their threads are interrupted. */
    @Override
    public void close() {
        http.stop(1);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) {
        try {
            try {
                dispatch(ex);
            } catch (HttpError e) {
                if (e.status != 413) {
                    drain(ex, limits.maxBodyBytes());
                }
                send(ex, e.status, error(e.getMessage()));
            } catch (BodyLimit.TooLarge e) {
                send(ex, 413, error(e.getMessage()));
            } catch (JsonProcessingException e) {
                drain(ex, limits.maxBodyBytes());
                send(ex, 400, error("malformed JSON: " + e.getOriginalMessage()
                        + (e.getLocation() == null ? "" : " (at byte " + e.getLocation().getByteOffset() + ")")));
            } catch (IllegalArgumentException e) {
                drain(ex, limits.maxBodyBytes());
                send(ex, 400, error(e.getMessage()));
            }
        } catch (IOException e) {
            // the client went away (mid-body or before the answer): nobody to answer
            LOG.fine(() -> ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + ": connection lost: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Kinora inference server: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " failed", e);
            try {
                send(ex, 500, error("internal server error: " + e));
            } catch (IOException ignored) {
                // gone
            }
        } finally {
            ex.close();
        }
    }

    private void dispatch(HttpExchange ex) throws IOException, HttpError {
        List<String> seg = segments(ex.getRequestURI().getRawPath());
        String method = ex.getRequestMethod();
        if (seg.isEmpty() || !seg.get(0).equals("v2")) {
            throw new HttpError(404, "no such path: " + ex.getRequestURI().getRawPath() + " (the protocol lives under /v2)");
        }
        boolean health = seg.size() == 3 && seg.get(1).equals("health");
        if (token != null && !health && !token.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"kinora\"");
            throw new HttpError(401, "missing or wrong token: send 'Authorization: Bearer <token>'");
        }
        int n = seg.size();
        if (n == 1) {
            allow(method, "GET");
            sendJson(ex, 200, serverMetadata());
        } else if (health && seg.get(2).equals("live")) {
            allow(method, "GET");
            sendJson(ex, 200, Map.of("live", true));
        } else if (health && seg.get(2).equals("ready")) {
            allow(method, "GET");
            sendJson(ex, 200, Map.of("ready", true));
        } else if (n == 3 && seg.get(1).equals("repository") && seg.get(2).equals("index")) {
            allow(method, "POST");
            drain(ex, 1 << 16);
            sendJson(ex, 200, repositoryIndex());
        } else if (seg.get(1).equals("models") && n >= 3) {
            String id = seg.get(2);
            String version = null;
            int rest = 3;
            if (n >= 5 && seg.get(3).equals("versions")) {
                version = seg.get(4);
                rest = 5;
            }
            String action = n == rest ? "" : n == rest + 1 ? seg.get(rest) : null;
            if (action == null || !(action.isEmpty() || action.equals("ready") || action.equals("infer"))) {
                throw new HttpError(404, "no such path: " + ex.getRequestURI().getRawPath());
            }
            ModelInfo model = find(id, version);
            switch (action) {
                case "" -> {
                    allow(method, "GET");
                    sendJson(ex, 200, modelMetadata(model));
                }
                case "ready" -> {
                    allow(method, "GET");
                    sendJson(ex, 200, Map.of("name", model.id(), "ready", true));
                }
                default -> {
                    allow(method, "POST");
                    admitAndInfer(ex, model);
                }
            }
        } else {
            throw new HttpError(404, "no such path: " + ex.getRequestURI().getRawPath());
        }
    }

    private static void allow(String method, String allowed) throws HttpError {
        if (!method.equals(allowed)) {
            throw new HttpError(405, "use " + allowed + " here, not " + method);
        }
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private ModelInfo find(String id, String version) throws HttpError {
        List<ModelInfo> models = service.models();
        for (ModelInfo m : models) {
            if (m.id().equals(id)) {
                if (version != null && !version.equals(MODEL_VERSION)) {
                    throw new HttpError(404, "model '" + id + "' has no version '" + version + "' (versions: " + MODEL_VERSION + ")");
                }
                return m;
            }
        }
        throw new HttpError(404, "unknown model '" + id + "' (models: " + String.join(", ", models.stream().map(ModelInfo::id).toList()) + ")");
    }

    private Map<String, Object> serverMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "kinora");
        m.put("version", version);
        m.put("extensions", binaryData ? List.of("model_repository", BinaryTensors.EXTENSION) : List.of("model_repository"));
        return m;
    }

    private List<Map<String, Object>> repositoryIndex() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (ModelInfo m : service.models()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", m.id());
            e.put("version", MODEL_VERSION);
            e.put("state", "READY");
            e.put("reason", "");
            list.add(e);
        }
        return list;
    }

    private static Map<String, Object> modelMetadata(ModelInfo model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", model.id());
        m.put("versions", List.of(MODEL_VERSION));
        m.put("platform", model.format());
        m.put("inputs", specs(model.inputs()));
        m.put("outputs", specs(model.outputs()));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("task", model.task());
        p.put("description", model.description());
        m.put("parameters", p);
        return m;
    }

    private static List<Map<String, Object>> specs(List<TensorSpec> specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("datatype", s.type().protocolName());
            m.put("shape", s.shape());
            out.add(m);
        }
        return out;
    }

    private void admitAndInfer(HttpExchange ex, ModelInfo model) throws IOException, HttpError {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw new HttpError(400, "bad Content-Length: " + declared);
            }
            if (length > limits.maxBodyBytes()) {
                // answered from the header alone: the body is never read (the connection is closed after the answer)
                ex.getResponseHeaders().set("Connection", "close");
                throw new HttpError(413, "the request body of " + length + " bytes is larger than the limit of " + limits.maxBodyBytes()
                        + " bytes; send fewer frames per request");
            }
        }
        String header = ex.getRequestHeaders().getFirst(BinaryTensors.HEADER_LENGTH);
        long headerLength = -1;
        if (header != null && !binaryData) {
            throw new HttpError(400, "the binary tensor data extension is not supported: send the tensors as JSON");
        }
        if (header != null) {
            try {
                headerLength = BinaryTensors.headerLength(header, length);
            } catch (IllegalArgumentException e) {
                throw new HttpError(400, e.getMessage());
            }
            if (headerLength > limits.maxBodyBytes()) {
                ex.getResponseHeaders().set("Connection", "close");
                throw new HttpError(413, BinaryTensors.HEADER_LENGTH + " of " + headerLength + " bytes is larger than the body limit of "
                        + limits.maxBodyBytes() + " bytes");
            }
        }
        if (admitted.incrementAndGet() > limits.maxInFlight() + limits.maxWaiting()) {
            admitted.decrementAndGet();
            ex.getResponseHeaders().set("Retry-After", "1");
            throw new HttpError(503, "the server is busy (" + limits.maxInFlight() + " requests running, " + limits.maxWaiting()
                    + " waiting); retry later");
        }
        try {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpError(503, "the server is stopping");
            }
            try {
                infer(ex, model, length, headerLength);
            } finally {
                slots.release();
            }
        } finally {
            admitted.decrementAndGet();
        }
    }

    /**
     * Reads the request, runs it and answers.
     *
     * @param length       the body's declared length, or -1 (chunked)
     * @param headerLength the length of its JSON part when the rest is binary tensor data, or -1 when it is all JSON
     */
    private void infer(HttpExchange ex, ModelInfo model, long length, long headerLength) throws IOException, HttpError {
        InputStream body = new BodyLimit(ex.getRequestBody(), limits.maxBodyBytes());
        InferJson.Request r = headerLength < 0 ? InferJson.readRequest(body)
                : InferJson.readRequest(body, headerLength, length < 0 ? -1 : length - headerLength, limits.maxBodyBytes() - headerLength);
        if (headerLength >= 0) {
            binaryRequests.incrementAndGet();
        }
        checkInputs(model, r.inputs());
        Set<String> outputNames = new HashSet<>();
        model.outputs().forEach(s -> outputNames.add(s.name()));
        Map<String, Boolean> requested = new LinkedHashMap<>();
        for (InferJson.Output o : r.outputs()) {
            if (!outputNames.contains(o.name())) {
                throw new HttpError(400, "model '" + model.id() + "' has no output '" + o.name() + "' (outputs: " + String.join(", ", outputNames) + ")");
            }
            requested.put(o.name(), o.binary());
        }
        String id = r.id() != null ? r.id() : UUID.randomUUID().toString();
        Map<String, Object> parameters = new HashMap<>(r.parameters());
        Priority priority = priority(parameters.remove(PRIORITY));
        Object job = parameters.remove(JOB_ID);
        String jobId = job != null ? String.valueOf(job) : "oip-" + id;
        Object allBinary = parameters.remove(BinaryTensors.ALL_OUTPUTS);
        if (allBinary != null && !(allBinary instanceof Boolean)) {
            throw new HttpError(400, "parameter '" + BinaryTensors.ALL_OUTPUTS + "' must be true or false, got '" + allBinary + "'");
        }
        if (!binaryData) {
            requested.replaceAll((k, v) -> null);
            allBinary = null;
        }

        // names, types and shapes were checked above (400); what the service or the model refuses beyond that (a
        // parameter out of range, its size limit, text that is not UTF-8) is an InvalidInferenceRequestException: 400
        // too; any other failure is the model's or the service's: 500 with its message
        CompletableFuture<InferenceResult> f = service.submit(new InferenceRequest(model.id(), r.inputs(), parameters, jobId, priority));
        InferenceResult result;
        try {
            result = f.get();
        } catch (InterruptedException e) {
            service.cancel(jobId);
            Thread.currentThread().interrupt();
            throw new HttpError(503, "the server is stopping");
        } catch (CancellationException e) {
            throw new HttpError(500, "model '" + model.id() + "': the request was cancelled");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String msg = c instanceof InferenceException ? c.getMessage() : "model '" + model.id() + "' failed: " + c;
            if (!(c instanceof InferenceException)) {
                LOG.log(Level.WARNING, "Kinora inference server: model '" + model.id() + "' failed", c);
            }
            throw new HttpError(c instanceof InvalidInferenceRequestException ? 400 : 500, msg);
        }
        List<Tensor> outputs = result.outputs();
        if (!requested.isEmpty()) {
            outputs = outputs.stream().filter(t -> requested.containsKey(t.name())).toList();
        }
        // an output's own binary_data wins over the request's binary_data_output
        Set<String> binary = new HashSet<>();
        for (Tensor t : outputs) {
            Boolean b = requested.get(t.name());
            if (b != null ? b : Boolean.TRUE.equals(allBinary)) {
                binary.add(t.name());
            }
        }
        InferJson.Response response = new InferJson.Response(model.id(), MODEL_VERSION, id, outputs);
        if (binary.isEmpty()) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
                InferJson.writeResponse(out, response);
            }
            return;
        }
        // the JSON part is small (the big tensors are binary): it is made first, as its length goes in a header
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InferJson.writeResponse(head, response, binary);
        long total = head.size();
        for (Tensor t : outputs) {
            if (binary.contains(t.name())) {
                total += BinaryTensors.size(t);
            }
        }
        ex.getResponseHeaders().set("Content-Type", BinaryTensors.CONTENT_TYPE);
        ex.getResponseHeaders().set(BinaryTensors.HEADER_LENGTH, Integer.toString(head.size()));
        ex.sendResponseHeaders(200, total);
        try (OutputStream out = new BufferedOutputStream(ex.getResponseBody(), 1 << 16)) {
            head.writeTo(out);
            for (Tensor t : outputs) {
                if (binary.contains(t.name())) {
                    BinaryTensors.write(out, t);
                }
            }
        }
    }

    /** The model's inputs, by name, type and shape: a mismatch is the client's error (400), named precisely. */
    private static void checkInputs(ModelInfo model, List<Tensor> inputs) throws HttpError {
        String what = "model '" + model.id() + "'";
        Map<String, TensorSpec> specs = new LinkedHashMap<>();
        model.inputs().forEach(s -> specs.put(s.name(), s));
        Set<String> seen = new HashSet<>();
        for (Tensor t : inputs) {
            TensorSpec spec = specs.get(t.name());
            if (spec == null) {
                throw new HttpError(400, what + " has no input '" + t.name() + "' (inputs: " + describe(model.inputs()) + ")");
            }
            if (!seen.add(t.name())) {
                throw new HttpError(400, what + ": input '" + t.name() + "' given twice");
            }
            if (t.type() != spec.type()) {
                throw new HttpError(400, what + ": input '" + t.name() + "' must be " + spec.type() + ", got " + t.type());
            }
            long[] want = spec.shape();
            long[] got = t.shape();
            boolean ok = want.length == got.length;
            for (int i = 0; ok && i < want.length; i++) {
                ok = want[i] < 0 || want[i] == got[i];
            }
            if (!ok) {
                throw new HttpError(400, what + ": input '" + t.name() + "' must have shape " + Arrays.toString(want) + " (-1 = any), got "
                        + Arrays.toString(got));
            }
        }
        for (TensorSpec s : model.inputs()) {
            if (!seen.contains(s.name())) {
                throw new HttpError(400, what + ": missing input " + describe(List.of(s)));
            }
        }
    }

    private static String describe(List<TensorSpec> specs) {
        return String.join(", ", specs.stream().map(s -> "'" + s.name() + "' " + s.type() + Arrays.toString(s.shape())).toList());
    }

    /** {@code interactive} or {@code batch}; Triton's integer priorities too (1 is the highest, 0 the default). */
    static Priority priority(Object v) throws HttpError {
        if (v == null) {
            return Priority.BATCH;
        }
        if (v instanceof Number n) {
            return n.longValue() == 1 ? Priority.INTERACTIVE : Priority.BATCH;
        }
        return switch (String.valueOf(v).strip().toLowerCase(Locale.ROOT)) {
            case "interactive" -> Priority.INTERACTIVE;
            case "batch" -> Priority.BATCH;
            default -> throw new HttpError(400, "parameter 'priority' must be \"interactive\" or \"batch\", got '" + v + "'");
        };
    }

    /**
     * Reads what is left of a request body we answer early, into nothing: a server that answers and closes while the
     * client still sends makes the client's TCP stack reset the connection, and the client may never see the answer.
     * Up to {@code limit} bytes; a longer body, or a client that is gone, just gets the connection closed.
     */
    private static void drain(HttpExchange ex, long limit) {
        try (InputStream in = new BodyLimit(ex.getRequestBody(), limit)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // too long or gone: the connection closes after the answer
        }
    }

    private static Map<String, Object> error(String message) {
        return Map.of("error", message == null ? "error" : message);
    }

    private static void sendJson(HttpExchange ex, int status, Object doc) throws IOException {
        send(ex, status, doc);
    }

    private static void send(HttpExchange ex, int status, Object doc) throws IOException {
        if (ex.getResponseCode() != -1) {
            return; // headers already went out: the connection closes and the client sees a cut response
        }
        byte[] body = InferJson.MAPPER.writeValueAsBytes(doc);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static String version() {
        Bundle b = FrameworkUtil.getBundle(OipServer.class);
        if (b != null) {
            return b.getVersion().toString();
        }
        String v = OipServer.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}

package org.kinora.cli.internal.panel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.kinora.core.KinoraException;

/**
 * The web panel, served beside the inference protocol on the same address ({@code kinora serve}): the panel's static
 * files at {@code /}, its JSON API under {@code /api/}, job events as server-sent events, and the pictures and media it
 * made under {@code /media/}. Nothing else of the disk is served. Access rules are {@link PanelAccess}'s.
 *
 * <p>It is an {@link HttpHandler} that the protocol's server mounts for every path outside {@code /v2}; each request is
 * handed at once to the panel's own threads, so open event streams and previews never hold the threads the protocol's
 * requests need.
 */
public final class PanelServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PanelServer.class.getName());
    /** Largest request body the API reads (a brush file, a parameter form). */
    static final int MAX_BODY = 4 << 20;

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "svg", "image/svg+xml", "json", "application/json",
            "mp4", "video/mp4", "mov", "video/quicktime", "mkv", "video/x-matroska", "ico", "image/x-icon");

    private final ThreadPoolExecutor executor;
    private final String token;
    private final WebFiles web;
    private final PanelApi api;
    private volatile PanelAccess access;
    private volatile URI address;

    private PanelServer(ThreadPoolExecutor executor, String token, WebFiles web, PanelApi api) {
        this.executor = executor;
        this.token = token;
        this.web = web;
        this.api = api;
    }

    /**
     * A panel that answers once it is told where it listens ({@link #listening}).
     *
     * @param token the token, or {@code null}
     */
    public static PanelServer create(String token, WebFiles web, PanelApi api) {
        // event streams hold a thread each for as long as a panel is open: a few dozen at most on one machine
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(64, 64, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "kinora-panel-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // idle threads go: the pool is sized for open event streams, not kept for them
        executor.allowCoreThreadTimeOut(true);
        return new PanelServer(executor, token, web, api);
    }

    /** The handler to mount at {@code /}: it hands each request to the panel's threads. */
    public HttpHandler handler() {
        return ex -> {
            try {
                executor.execute(() -> handle(ex));
            } catch (RejectedExecutionException busy) {
                try {
                    sendText(ex, 503, "the panel is busy or stopping: try again");
                } finally {
                    ex.close();
                }
            }
        };
    }

    /**
     * Tells the panel where it is served; until then it answers 503.
     *
     * @param where any address of the server (the protocol's, e.g. {@code http://127.0.0.1:8000/v2}): its host and port
     * @throws KinoraException when the host is not a loopback one and there is no token
     */
    public void listening(URI where) throws KinoraException {
        InetAddress addr;
        try {
            addr = InetAddress.getByName(where.getHost());
        } catch (UnknownHostException e) {
            throw new KinoraException("cannot serve the panel on '" + where.getHost() + "': unknown host");
        }
        try {
            access = new PanelAccess(addr, where.getPort(), token);
        } catch (IllegalArgumentException e) {
            throw new KinoraException(e.getMessage());
        }
        String uriHost = addr instanceof Inet6Address ? "[" + addr.getHostAddress() + "]" : addr.getHostAddress();
        address = URI.create("http://" + uriHost + ":" + where.getPort() + "/");
    }

    /** Where the panel is, e.g. {@code http://127.0.0.1:8000/}; null until {@link #listening}. */
    public URI address() {
        return address;
    }

    /** Whether the panel needs a token. */
    public boolean needsToken() {
        return token != null && !token.isBlank();
    }

    /** Stops the API's queue and the panel's threads (the server that mounted the handler is its owner's to stop). */
    @Override
    public void close() {
        api.close();
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) {
        try {
            try {
                if (access == null) {
                    sendText(ex, 503, "the panel is starting: try again in a moment");
                    return;
                }
                dispatch(ex);
            } catch (PanelApi.ApiError e) {
                sendJson(ex, e.status, e.body());
            } catch (KinoraException e) {
                sendJson(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
            } catch (IllegalArgumentException e) {
                sendJson(ex, 400, Map.of("error", String.valueOf(e.getMessage())));
            }
        } catch (IOException e) {
            LOG.fine(() -> ex.getRequestURI().getRawPath() + ": connection lost: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Kinora panel: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath() + " failed", e);
            try {
                sendJson(ex, 500, Map.of("error", "internal error: " + e));
            } catch (IOException ignored) {
                // gone
            }
        } finally {
            ex.close();
        }
    }

    private void dispatch(HttpExchange ex) throws IOException, KinoraException, InterruptedException, PanelApi.ApiError {
        String host = ex.getRequestHeaders().getFirst("Host");
        securityHeaders(ex);
        if (!access.hostAllowed(host)) {
            sendText(ex, 421, "this panel answers only to " + address.getAuthority() + " (Host was " + host + ")");
            return;
        }
        String path = ex.getRequestURI().getRawPath();
        String method = ex.getRequestMethod();
        String query = ex.getRequestURI().getRawQuery();
        Map<String, String> q = PanelApi.query(query);
        if (access.needsToken() && path.equals("/") && q.containsKey("token")) {
            // the token comes once in the address; keep it in a cookie and drop it from the address bar
            if (!access.matches(q.get("token"))) {
                sendText(ex, 401, "wrong token");
                return;
            }
            ex.getResponseHeaders().add("Set-Cookie", PanelAccess.COOKIE + "=" + q.get("token").strip()
                    + "; Path=/; HttpOnly; SameSite=Strict");
            ex.getResponseHeaders().set("Location", "/");
            ex.sendResponseHeaders(303, -1);
            return;
        }
        if (!access.authorized(ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Cookie"))) {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"kinora\"");
            sendText(ex, 401, "this panel needs its token: open " + address + "?token=<token> once, or send 'Authorization: Bearer <token>'");
            return;
        }
        boolean changes = !method.equals("GET") && !method.equals("HEAD");
        if (changes && !PanelAccess.sameOrigin(ex.getRequestHeaders().getFirst("Origin"), host)) {
            sendJson(ex, 403, Map.of("error", "requests from another origin are refused"));
            return;
        }
        if (path.startsWith("/api/")) {
            byte[] body = changes ? readBody(ex) : new byte[0];
            if (method.equals("GET") && path.equals("/api/events")) {
                api.events(ex);
                return;
            }
            PanelApi.Reply r = api.handle(method, path.substring("/api/".length()), q, body);
            sendJson(ex, r.status(), r.body());
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            sendText(ex, 405, "method not allowed");
            return;
        }
        if (path.startsWith("/media/")) {
            Optional<java.nio.file.Path> file = api.media(path.substring("/media/".length()));
            if (file.isEmpty()) {
                sendText(ex, 404, "no such media");
                return;
            }
            sendFile(ex, file.get());
            return;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        Optional<byte[]> bytes = web.read(name);
        if (bytes.isEmpty()) {
            sendText(ex, 404, "not found");
            return;
        }
        ex.getResponseHeaders().set("Content-Type", type(name));
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        send(ex, 200, bytes.get());
    }

    private static void securityHeaders(HttpExchange ex) {
        var h = ex.getResponseHeaders();
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        h.set("Referrer-Policy", "no-referrer");
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; connect-src 'self';"
                + " script-src 'self'; style-src 'self'; frame-ancestors 'none'");
    }

    private static byte[] readBody(HttpExchange ex) throws IOException, PanelApi.ApiError {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new PanelApi.ApiError(413, "request body larger than " + MAX_BODY + " bytes", null);
            }
            return b;
        }
    }

    static String type(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    private static void sendFile(HttpExchange ex, java.nio.file.Path file) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type(file.getFileName().toString()));
        ex.getResponseHeaders().set("Cache-Control", "no-cache");
        long size = java.nio.file.Files.size(file);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        ex.sendResponseHeaders(200, size == 0 ? -1 : size);
        try (OutputStream o = ex.getResponseBody(); InputStream in = java.nio.file.Files.newInputStream(file)) {
            in.transferTo(o);
        }
    }

    static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        send(ex, status, PanelJson.bytes(body));
    }

    private static void sendText(HttpExchange ex, int status, String text) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        send(ex, status, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, byte[] bytes) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream o = ex.getResponseBody()) {
                o.write(bytes);
            }
        }
    }
}

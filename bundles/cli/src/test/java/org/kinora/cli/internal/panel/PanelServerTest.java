package org.kinora.cli.internal.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.cli.internal.EffectRegistry;
import org.kinora.cli.internal.Services;
import org.kinora.core.KinoraException;

/**
 * The panel's access rules over real HTTP: loopback only unless a token is given; with one, nothing without it; Host
 * and Origin checked; only the panel's own files and the media it made are served.
 */
class PanelServerTest {

    @TempDir
    Path dir;

    private PanelServer server;
    private HttpServer http1;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** The panel mounted at / of a JDK server, as the inference server mounts it beside /v2 in 'kinora serve'. */
    private PanelServer start(String host, String token) throws Exception {
        Path web = Files.createDirectories(dir.resolve("web"));
        Files.writeString(web.resolve("index.html"), "<!doctype html><title>panel</title>");
        Files.createDirectories(web.resolve("js"));
        Files.writeString(web.resolve("js/app.js"), "export const x = 1;");
        Files.writeString(dir.resolve("secret.txt"), "not for the web");
        PanelApi api = new PanelApi(new Services(new EffectRegistry(), List.of(), null, null, null, null), dir.resolve("config"));
        server = PanelServer.create(token, WebFiles.of(web), api);
        http1 = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), 0), 0);
        http1.createContext("/", server.handler());
        http1.start();
        server.listening(URI.create("http://" + host + ":" + http1.getAddress().getPort() + "/v2"));
        return server;
    }

    @AfterEach
    void stop() {
        if (http1 != null) {
            http1.stop(0);
        }
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.address() + path.substring(1)));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request as the bytes on the wire, so paths and Host are sent exactly as written. */
    private String raw(String request) throws IOException {
        try (Socket s = new Socket(server.address().getHost(), server.address().getPort())) {
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void loopbackServesThePanelAndNothingElseOfTheDisk() throws Exception {
        start("127.0.0.1", null);
        assertTrue(server.address().toString().startsWith("http://127.0.0.1:"), server.address().toString());
        HttpResponse<String> index = get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("<title>panel</title>"));
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals("text/javascript; charset=utf-8", get("/js/app.js").headers().firstValue("Content-Type").orElse(""));
        int port = server.address().getPort();
        for (String path : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/js/../../secret.txt", "/..%2fsecret.txt",
                "/media/../secret.txt", "/media/secret.txt", "/" + dir.resolve("secret.txt"))) {
            String r = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
            assertTrue(r.startsWith("HTTP/1.1 404") || r.startsWith("HTTP/1.1 400"), path + " -> " + r.lines().findFirst().orElse(""));
            assertFalse(r.contains("not for the web"), path);
        }
        // no project is open: there is no clip whose thumbnail could name a file
        HttpResponse<String> thumb = get("/api/thumbnail?clip=" + dir.resolve("secret.txt"));
        assertEquals(409, thumb.statusCode(), thumb.body());
    }

    @Test
    void aForeignHostOrOriginIsRefused() throws Exception {
        start("127.0.0.1", null);
        int port = server.address().getPort();
        // a page of another site that resolved its own name to 127.0.0.1 (DNS rebinding) sends its own name as Host
        String r = raw("GET /api/state HTTP/1.1\r\nHost: evil.example:" + port + "\r\nConnection: close\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 421"), r);
        assertTrue(raw("GET /api/state HTTP/1.1\r\nHost: localhost:" + port + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(server.address() + "api/project"))
                .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"/etc/passwd\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, post.statusCode(), post.body());
        HttpResponse<String> same = http.send(HttpRequest.newBuilder(URI.create(server.address() + "api/project"))
                .header("Origin", "http://127.0.0.1:" + port).POST(HttpRequest.BodyPublishers.ofString("{\"path\": \"/etc/passwd\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, same.statusCode(), same.body());
        assertTrue(same.body().contains("not a Shotcut (.mlt) or Kdenlive (.kdenlive) project: /etc/passwd"), same.body());
    }

    @Test
    void anotherAddressNeedsAToken() throws Exception {
        for (String blank : new String[] {null, " "}) {
            try (PanelServer open = PanelServer.create(blank, WebFiles.of(dir), new PanelApi(new Services(new EffectRegistry(), List.of(), null, null, null,
                    null), dir))) {
                KinoraException refused = assertThrows(KinoraException.class, () -> open.listening(URI.create("http://0.0.0.0:8000/v2")));
                assertTrue(refused.getMessage().contains("refusing to serve the panel on 0.0.0.0 without a token"), refused.getMessage());
            }
        }

        start("0.0.0.0", "s3cret");
        assertTrue(server.needsToken());
        assertEquals(401, get("/").statusCode());
        assertEquals(401, get("/api/state").statusCode());
        assertEquals(401, get("/?token=wrong").statusCode());
        assertEquals(401, get("/api/state", "Authorization", "Bearer wrong").statusCode());
        assertEquals(200, get("/api/state", "Authorization", "Bearer s3cret").statusCode());
        // the token given once in the address becomes a cookie and leaves the address bar
        HttpResponse<String> login = get("/?token=s3cret");
        assertEquals(303, login.statusCode());
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        HttpResponse<String> page = get("/", "Cookie", cookie.substring(0, cookie.indexOf(';')));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>panel</title>"));
    }
}

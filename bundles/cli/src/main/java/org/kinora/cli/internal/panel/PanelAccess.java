package org.kinora.cli.internal.panel;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;

/**
 * Who may use the panel. On loopback (the default) only this machine can connect, and requests must name this server
 * in their {@code Host} header (so a web page elsewhere cannot reach it through DNS rebinding). On any other address a
 * token is required: given once as {@code /?token=T}, it is kept in an HTTP-only, same-site cookie (a browser cannot
 * put a bearer header on a page load or an event stream); API clients may send {@code Authorization: Bearer T}
 * instead. Requests that change something must come from the panel's own origin. Tokens are compared in constant time
 * (both sides hashed first, as the inference server does).
 */
final class PanelAccess {

    static final String COOKIE = "kinora-panel-token";

    private final boolean loopback;
    private final byte[] token;
    private final Set<String> hosts;

    /**
     * @param address the address the server is bound to
     * @param port    the port it is bound to
     * @param token   the token, or {@code null} / blank for none
     * @throws IllegalArgumentException when the address is not a loopback one and there is no token
     */
    PanelAccess(InetAddress address, int port, String token) {
        this.loopback = address.isLoopbackAddress();
        boolean has = token != null && !token.isBlank();
        if (!loopback && !has) {
            throw new IllegalArgumentException("refusing to serve the panel on " + address.getHostAddress() + " without a token: anyone"
                    + " who can reach that address could open and rewrite projects. Give a token (--token or KINORA_TOKEN), or listen"
                    + " on 127.0.0.1");
        }
        this.token = has ? sha256(token.strip()) : null;
        this.hosts = loopback ? Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port) : null;
    }

    /** Whether requests must carry the token. */
    boolean needsToken() {
        return token != null;
    }

    /** Whether the {@code Host} header names this server (always true off loopback, where the token guards). */
    boolean hostAllowed(String host) {
        return hosts == null || (host != null && hosts.contains(host.strip().toLowerCase(Locale.ROOT)));
    }

    /** Whether a request with these headers carries the token (always true when there is none). */
    boolean authorized(String authorization, String cookieHeader) {
        if (token == null) {
            return true;
        }
        if (authorization != null && authorization.strip().startsWith("Bearer ") && matches(authorization.strip().substring(7).strip())) {
            return true;
        }
        String c = cookie(cookieHeader, COOKIE);
        return c != null && matches(c);
    }

    /** Whether {@code candidate} is the token (constant time). */
    boolean matches(String candidate) {
        return token != null && candidate != null && MessageDigest.isEqual(token, sha256(candidate.strip()));
    }

    /**
     * Whether a request that changes something comes from the panel itself: browsers send {@code Origin} on such
     * requests, and it must be this server; clients that are not browsers send none.
     */
    static boolean sameOrigin(String origin, String host) {
        return origin == null || (host != null && origin.equalsIgnoreCase("http://" + host.strip()));
    }

    static String cookie(String header, String name) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "PanelAccess[loopback=" + loopback + ", token=" + (token == null ? "none" : "hidden") + "]";
    }
}

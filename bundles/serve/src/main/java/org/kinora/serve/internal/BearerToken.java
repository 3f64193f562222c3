package org.kinora.serve.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Checks {@code Authorization: Bearer <token>} in constant time: both sides are hashed first, so neither the content nor
 * the length of the expected token shows in the time a wrong guess takes.
 */
final class BearerToken {

    private final byte[] expected;

    BearerToken(String token) {
        this.expected = sha256("Bearer " + token);
    }

    boolean accepts(String authorization) {
        return MessageDigest.isEqual(expected, sha256(authorization == null ? "" : authorization.strip()));
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
        return "BearerToken[hidden]";
    }
}

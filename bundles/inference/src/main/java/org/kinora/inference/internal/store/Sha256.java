package org.kinora.inference.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and streams, as lower-case hex. */
final class Sha256 {

    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JRE has no SHA-256", e); // every Java SE platform has it
        }
    }

    static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    static String of(Path file) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return hex(d);
    }

    /** Copies {@code in} to {@code out} and returns the SHA-256 of what was copied. */
    static String copy(InputStream in, OutputStream out) throws IOException {
        MessageDigest d = digest();
        new DigestInputStream(in, d).transferTo(out);
        return hex(d);
    }
}

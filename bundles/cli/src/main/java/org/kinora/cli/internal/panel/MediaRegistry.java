package org.kinora.cli.internal.panel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The files the panel may serve under {@code /media/}: only what it was asked to make (thumbnails and previews in its
 * own scratch folder, and result media it rendered), each under a random name. A request names an entry, never a
 * path, so nothing else on the disk can be read through the panel.
 */
final class MediaRegistry implements AutoCloseable {

    private final Path scratch;
    private final Map<String, Path> files = new ConcurrentHashMap<>();

    MediaRegistry() throws IOException {
        this.scratch = Files.createTempDirectory("kinora-panel-");
    }

    /** A fresh file in the scratch folder with that extension (not yet served). */
    Path newFile(String ext) {
        return scratch.resolve(randomName() + "." + ext);
    }

    /** Serves {@code file}; returns its address relative to the server ({@code /media/NAME}). */
    String register(Path file) {
        String name = file.startsWith(scratch) ? file.getFileName().toString() : randomName() + "-" + safe(file.getFileName().toString());
        files.put(name, file);
        return "/media/" + name;
    }

    /** The file served under {@code name}, when it still exists. */
    Optional<Path> lookup(String name) {
        Path p = files.get(name);
        return p != null && Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    private static String randomName() {
        byte[] b = new byte[9];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** Forgets everything and deletes the scratch folder (result media stay where they are). */
    @Override
    public void close() {
        files.clear();
        try (Stream<Path> s = Files.walk(scratch)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}

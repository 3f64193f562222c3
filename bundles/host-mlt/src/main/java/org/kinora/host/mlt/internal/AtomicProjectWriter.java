package org.kinora.host.mlt.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.kinora.core.host.ProjectException;

/**
 * Writes a project so that the editor's work is never lost: the bytes go to a temporary file in the target's folder,
 * are flushed to disk and renamed over the target atomically (a crash leaves either the old or the new file, never a
 * torn one). Overwriting the file that was read keeps a timestamped backup beside it first (the last
 * {@value #KEEP_BACKUPS} are kept) and is refused when that file changed on disk since it was read, because the
 * editor (or a person) saved work Kinora has not seen.
 */
final class AtomicProjectWriter {

    static final int KEEP_BACKUPS = 5;
    static final String BACKUP_MARK = ".kinora-";
    static final String BACKUP_SUFFIX = ".bak";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private AtomicProjectWriter() {
    }

    /**
     * What was read: enough to tell whether the file changed since.
     *
     * @param size     bytes
     * @param modified last-modified time before reading
     * @param sha256   digest of the bytes read
     */
    record Fingerprint(long size, FileTime modified, byte[] sha256) {
        static Fingerprint of(byte[] bytes, FileTime modified) {
            return new Fingerprint(bytes.length, modified, AtomicProjectWriter.sha256(bytes));
        }

        boolean sameAs(Fingerprint o) {
            return size == o.size && modified.equals(o.modified) && Arrays.equals(sha256, o.sha256);
        }
    }

    /**
     * Writes {@code bytes} to {@code target}.
     *
     * @param source     the file the document was read from (absolute, normalized)
     * @param fingerprint what was read from {@code source}
     * @return the fingerprint of {@code source} after the write when {@code target} is {@code source}, else {@code null}
     */
    static Fingerprint write(Path target, byte[] bytes, Path source, Fingerprint fingerprint) throws ProjectException {
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new ProjectException("cannot save " + target + ": folder " + dir + " does not exist");
        }
        boolean overwritingSource = isSame(target, source);
        if (overwritingSource) {
            byte[] current;
            FileTime mtime;
            try {
                mtime = Files.getLastModifiedTime(source);
                current = Files.readAllBytes(source);
            } catch (NoSuchFileException e) {
                throw new ProjectException(source + " was deleted since it was opened; not writing it (save elsewhere)");
            } catch (IOException e) {
                throw new ProjectException("cannot re-read " + source + " before saving: " + MltXml.oneLine(e.getMessage()), e);
            }
            if (!Fingerprint.of(current, mtime).sameAs(fingerprint)) {
                throw new ProjectException(source + " changed on disk since it was opened (size, modified time or content "
                        + "differ); not overwriting it: reopen the project and apply again, or save to another file");
            }
            writeAtomically(backupPath(source), current, source);
            pruneBackups(source);
        }
        writeAtomically(target, bytes, Files.exists(target) ? target : source);
        if (overwritingSource) {
            try {
                return Fingerprint.of(bytes, Files.getLastModifiedTime(target));
            } catch (IOException e) {
                throw new ProjectException("saved " + target + " but cannot read its modified time: "
                        + MltXml.oneLine(e.getMessage()), e);
            }
        }
        return null;
    }

    /**
     * Temporary files are created owner-only; the saved project must keep the permissions the user's file had, or a
     * project shared with a group (or a web server serving the media) would silently become private.
     */
    private static void copyPermissions(Path from, Path to) throws IOException {
        try {
            if (from != null && Files.exists(from)) {
                Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
            }
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file systems keep their own defaults
        }
    }

    private static boolean isSame(Path target, Path source) throws ProjectException {
        if (target.equals(source)) {
            return true;
        }
        try {
            return Files.exists(target, LinkOption.NOFOLLOW_LINKS) && Files.exists(source) && Files.isSameFile(target, source);
        } catch (IOException e) {
            throw new ProjectException("cannot compare " + target + " with " + source + ": " + MltXml.oneLine(e.getMessage()), e);
        }
    }

    static Path backupPath(Path source) throws ProjectException {
        String name = source.getFileName().toString();
        for (int attempt = 0; attempt < 1000; attempt++) {
            Path p = source.resolveSibling(name + BACKUP_MARK + LocalDateTime.now().format(STAMP) + BACKUP_SUFFIX);
            if (!Files.exists(p)) {
                return p;
            }
            try {
                Thread.sleep(1); // names carry milliseconds so that they sort by age; wait for the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new ProjectException("cannot find a free backup name beside " + source);
    }

    /** Backups of {@code source}, oldest first (the timestamp sorts lexically). */
    static List<Path> backups(Path source) {
        String prefix = source.getFileName().toString() + BACKUP_MARK;
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(source.getParent())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(BACKUP_SUFFIX)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    private static void pruneBackups(Path source) {
        List<Path> all = backups(source);
        for (int i = 0; i < all.size() - KEEP_BACKUPS; i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                // an old backup that cannot be deleted does no harm
            }
        }
    }

    private static void writeAtomically(Path target, byte[] bytes, Path permissionsFrom) throws ProjectException {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".kinora-tmp");
            copyPermissions(permissionsFrom, tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
        } catch (AtomicMoveNotSupportedException e) {
            throw new ProjectException("cannot save " + target + ": its file system cannot rename atomically", e);
        } catch (IOException e) {
            throw new ProjectException("cannot save " + target + ": " + MltXml.oneLine(String.valueOf(e.getMessage())), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // best effort: a leftover hidden temp file is harmless
                }
            }
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

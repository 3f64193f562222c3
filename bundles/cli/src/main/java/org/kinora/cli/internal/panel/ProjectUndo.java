package org.kinora.cli.internal.panel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.kinora.core.host.ProjectException;

/**
 * Undo of an apply from the panel: puts back the backup the project's host kept beside the project when it saved
 * (named {@code PROJECT.kinora-<time>.bak}). Refused when the project changed on disk since the apply (the editor saved
 * over it): restoring then would lose that work. The restore is atomic (temporary file and rename), and the state
 * being undone is kept as a backup of its own first.
 *
 * @param project the project file
 * @param backup  the backup the apply's save made
 * @param written the SHA-256 of what the apply wrote
 */
record ProjectUndo(Path project, Path backup, byte[] written) {

    /** The host's backups of {@code project} now. */
    static Set<Path> backups(Path project) {
        String prefix = project.getFileName() + ".kinora-";
        Set<Path> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(project.getParent())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(".bak")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /**
     * After a save: the undo of it, found as the one backup that the save added.
     *
     * @throws ProjectException when no backup was made (the project was written elsewhere) or it cannot be read
     */
    static ProjectUndo after(Path project, Set<Path> backupsBefore) throws ProjectException {
        Set<Path> added = backups(project);
        added.removeAll(backupsBefore);
        if (added.size() != 1) {
            throw new ProjectException("no backup of " + project + " was made by the save; nothing to undo to");
        }
        try {
            return new ProjectUndo(project, added.iterator().next(), sha256(Files.readAllBytes(project)));
        } catch (IOException e) {
            throw new ProjectException("cannot read " + project + " after saving: " + e.getMessage(), e);
        }
    }

    /** Restores the backup. */
    void restore() throws ProjectException {
        try {
            if (!Files.isRegularFile(backup)) {
                throw new ProjectException("the backup " + backup + " is gone; cannot undo");
            }
            if (!Arrays.equals(written, sha256(Files.readAllBytes(project)))) {
                throw new ProjectException(project + " changed on disk since the apply (saved in the editor?); not undoing, which would"
                        + " lose that work. The version before the apply is kept at " + backup);
            }
            Path keep = project.resolveSibling(project.getFileName() + ".kinora-undone-" + System.currentTimeMillis() + ".bak");
            Files.copy(project, keep, StandardCopyOption.COPY_ATTRIBUTES);
            Path tmp = Files.createTempFile(project.getParent(), "." + project.getFileName() + ".", ".kinora-tmp");
            try {
                Files.copy(backup, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, project, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ProjectException("cannot restore " + project + " from " + backup + ": " + e.getMessage(), e);
        }
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

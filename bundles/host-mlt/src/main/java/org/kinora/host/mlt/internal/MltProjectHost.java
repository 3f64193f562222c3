package org.kinora.host.mlt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;

import org.kinora.core.host.ProjectDocument;
import org.kinora.core.host.ProjectException;
import org.kinora.core.host.ProjectHost;
import org.kinora.host.mlt.internal.AtomicProjectWriter.Fingerprint;
import org.osgi.service.component.annotations.Component;

/**
 * The MLT host: Shotcut {@code .mlt} and Kdenlive {@code .kdenlive} projects (documents 1.04 and 1.1), registered as
 * the {@link ProjectHost} with {@code kinora.host.id=mlt}.
 */
@Component(service = ProjectHost.class, property = "kinora.host.id=mlt")
public final class MltProjectHost implements ProjectHost {

    /** Service property carrying the host id. */
    public static final String ID = "mlt";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean accepts(Path file) {
        if (file == null) {
            return false;
        }
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".mlt") || name.endsWith(".kdenlive")) {
            return true;
        }
        // other names: only when the file starts like MLT XML
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return head.contains("<mlt");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public ProjectDocument open(Path file) throws ProjectException {
        if (file == null) {
            throw new ProjectException("no project file given");
        }
        Path f = file.toAbsolutePath().normalize();
        byte[] bytes;
        FileTime modified;
        try {
            if (Files.isDirectory(f)) {
                throw new ProjectException(f + " is a folder, not a project file");
            }
            long size = Files.size(f);
            if (size > MltXml.MAX_BYTES) {
                throw new ProjectException(f + " is " + size / (1024 * 1024) + " MB; projects over "
                        + MltXml.MAX_BYTES / (1024 * 1024) + " MB are refused");
            }
            // the time is taken before reading so that a write during the read shows up as a change at save
            modified = Files.getLastModifiedTime(f);
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            throw new ProjectException(f + " does not exist", e);
        } catch (IOException e) {
            throw new ProjectException("cannot read " + f + ": " + MltXml.oneLine(String.valueOf(e.getMessage())), e);
        }
        MltXml.Parsed parsed = MltXml.parse(bytes, f);
        ProjectFormat format = ProjectFormat.detect(parsed.doc(), f);
        return new MltProjectDocument(f, parsed, format, Fingerprint.of(bytes, modified));
    }
}

package org.kinora.core.host;

import java.nio.file.Path;

/**
 * An editor's project format (e.g. MLT XML from Shotcut and Kdenlive). Registered as an OSGi service.
 */
public interface ProjectHost {

    /** A short id of the host, e.g. {@code mlt}. */
    String id();

    /** Whether this host reads the given file (by its name and, where needed, its first bytes). */
    boolean accepts(Path file);

    /**
     * Reads a project. The document remembers what it read so that {@link ProjectDocument#save} can refuse to overwrite
     * a file that changed on disk in the meantime.
     *
     * @throws ProjectException when the file is missing, unreadable or not a project of this host; the message names the file
     */
    ProjectDocument open(Path file) throws ProjectException;
}

package org.kinora.core.host;

import org.kinora.core.KinoraException;

/** A project could not be read, a clip could not be found, or the project could not be written. */
public class ProjectException extends KinoraException {
    private static final long serialVersionUID = 1L;

    public ProjectException(String message) {
        super(message);
    }

    public ProjectException(String message, Throwable cause) {
        super(message, cause);
    }
}

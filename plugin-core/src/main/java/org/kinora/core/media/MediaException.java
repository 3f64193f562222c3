package org.kinora.core.media;

import org.kinora.core.KinoraException;

/** Media could not be read or written; the message names the file and the problem. */
public class MediaException extends KinoraException {
    private static final long serialVersionUID = 1L;

    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.kinora.core;

/**
 * Base of every checked failure the Kinora API reports. Messages are written for the user: one line that names the
 * file, clip or parameter and what is wrong with it.
 */
public class KinoraException extends Exception {
    private static final long serialVersionUID = 1L;

    public KinoraException(String message) {
        super(message);
    }

    public KinoraException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.kinora.effect.motionbrush.internal;

/** A brush file that cannot be used; the message names the file, the brush (1-based) and the field. */
public final class BrushFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public BrushFileException(String message) {
        super(message);
    }

    public BrushFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

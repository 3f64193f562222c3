package org.kinora.core.inference;

import org.kinora.core.KinoraException;

/** A model call failed: unknown model, inputs that do not match its spec, or an engine error. */
public class InferenceException extends KinoraException {
    private static final long serialVersionUID = 1L;

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}

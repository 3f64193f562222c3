package org.kinora.core.effect;

import org.kinora.core.KinoraException;

/** An effect failed; the message says which effect and why. */
public class EffectException extends KinoraException {
    private static final long serialVersionUID = 1L;

    public EffectException(String message) {
        super(message);
    }

    public EffectException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.kinora.core.param;

import org.kinora.core.KinoraException;

/** A parameter value is unknown, malformed or out of range; the message names the parameter and what it accepts. */
public class InvalidParameterException extends KinoraException {
    private static final long serialVersionUID = 1L;
    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The parameter's name as the user typed it. */
    public String parameter() {
        return parameter;
    }
}

package org.kinora.core.param;

/** The type of an effect parameter. */
public enum ParameterType {
    /** One of a fixed list of words. */
    CHOICE,
    /** A decimal number, optionally bounded. */
    NUMBER,
    /** A whole number, optionally bounded. */
    INTEGER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Free text. */
    TEXT
}

package org.kinora.core.effect;

/** What an effect takes from the timeline. */
public enum InputKind {
    /** A video clip's frames. */
    VIDEO,
    /** A still image clip. */
    STILL,
    /** Nothing: the effect generates new media. */
    NONE
}

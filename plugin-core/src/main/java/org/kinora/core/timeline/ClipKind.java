package org.kinora.core.timeline;

/** What a clip's producer delivers, as far as effects care. */
public enum ClipKind {
    /** A video file (may carry audio). */
    VIDEO,
    /** A still image held for the clip's length. */
    IMAGE,
    /** An audio-only file. */
    AUDIO,
    /** A generated color or other synthetic producer. */
    COLOR,
    /** Anything else (titles, generators, nested timelines). */
    OTHER
}

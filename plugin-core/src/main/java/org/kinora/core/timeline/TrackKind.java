package org.kinora.core.timeline;

/** The kind of a timeline track. */
public enum TrackKind {
    VIDEO,
    AUDIO
}

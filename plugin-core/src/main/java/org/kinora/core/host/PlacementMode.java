package org.kinora.core.host;

/** How an effect's result goes back into the project. */
public enum PlacementMode {
    /**
     * The timeline entry plays the result instead of the source, at the same position and length; the source stays in the
     * project's bin and provenance is recorded on the new clip.
     */
    REPLACE,
    /** The result goes on a new video track above the clip's track, at the clip's position; the source is untouched. */
    OVERLAY
}

package org.kinora.samples.world;

/** What the camera does to the backdrop. The object's motion is relative to the frame whatever the camera does. */
public enum Camera {
    /** The backdrop stands still. */
    STILL,
    /** The camera pans right: the backdrop drifts to the left. */
    PAN,
    /** The camera zooms in: the backdrop slowly scales up about the frame's centre. */
    ZOOM
}

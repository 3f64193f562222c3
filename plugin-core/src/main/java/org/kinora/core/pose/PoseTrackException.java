package org.kinora.core.pose;

import org.kinora.core.KinoraException;

/** A pose track that cannot be read, written or extracted; the message names the file (and frame, joint) and the problem. */
public class PoseTrackException extends KinoraException {

    private static final long serialVersionUID = 1L;

    public PoseTrackException(String message) {
        super(message);
    }

    public PoseTrackException(String message, Throwable cause) {
        super(message, cause);
    }
}

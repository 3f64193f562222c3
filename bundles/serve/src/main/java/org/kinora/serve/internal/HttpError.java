package org.kinora.serve.internal;

/** A request the server answers with an error status and a one-line message. */
final class HttpError extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}

package org.kinora.core.inference;

/** A model store operation failed: a missing or damaged model, a failed fetch, a bad export to add. */
public class ModelStoreException extends InferenceException {
    private static final long serialVersionUID = 1L;

    public ModelStoreException(String message) {
        super(message);
    }

    public ModelStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}

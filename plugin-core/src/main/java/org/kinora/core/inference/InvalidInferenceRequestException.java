package org.kinora.core.inference;

/**
 * The request itself is wrong, not the model or the service: an unknown model, inputs that do not match the model's
 * declared tensors, a parameter out of range, data a model cannot read (text that is not UTF-8). Sending a corrected
 * request fixes it; the Open Inference Protocol server answers it with 400.
 */
public class InvalidInferenceRequestException extends InferenceException {
    private static final long serialVersionUID = 1L;

    public InvalidInferenceRequestException(String message) {
        super(message);
    }
}

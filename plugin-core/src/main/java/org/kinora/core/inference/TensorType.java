package org.kinora.core.inference;

/** Element types of tensors, named as in the Open Inference Protocol. */
public enum TensorType {
    UINT8(1), INT32(4), INT64(8), FP16(2), FP32(4);

    private final int bytes;

    TensorType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }
}

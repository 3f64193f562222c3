package org.kinora.core.inference;

/**
 * Element types of tensors, named as in the Open Inference Protocol (KServe v2 / Triton datatypes without their
 * {@code TYPE_} prefix, {@code FP32} etc.).
 */
public enum TensorType {
    BOOL(1), UINT8(1), INT8(1), INT32(4), INT64(8), FP16(2), FP32(4), FP64(8),
    /**
     * Variable-length byte strings (UTF-8 text). Each element is laid out as in the protocol's binary extension: a
     * 4-byte little-endian length, then that many bytes. {@link #bytes()} is 0 for this type.
     */
    BYTES(0);

    private final int bytes;

    TensorType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element; 0 for {@link #BYTES}, whose elements have their own lengths. */
    public int bytes() {
        return bytes;
    }

    /** The protocol's name for this type, e.g. {@code FP32}. */
    public String protocolName() {
        return name();
    }

    /**
     * The type of a protocol datatype name ({@code FP32}, also {@code TYPE_FP32} as Triton's config files write it).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static TensorType ofProtocolName(String name) {
        String n = name == null ? "" : name.trim();
        if (n.startsWith("TYPE_")) {
            n = n.substring(5);
        }
        for (TensorType t : values()) {
            if (t.name().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tensor datatype '" + name + "' (BOOL, UINT8, INT8, INT32, INT64, FP16, FP32, FP64, BYTES)");
    }
}

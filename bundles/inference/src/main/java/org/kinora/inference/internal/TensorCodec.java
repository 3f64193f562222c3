package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/** Converts API tensors to NDArrays and back with bulk buffer copies (no per-element Java loops). */
public final class TensorCodec {

    private TensorCodec() {
    }

    /** The NDArray type of a tensor type; {@link TensorType#BYTES} has none (models that take text handle it themselves). */
    public static DataType dataType(TensorType type) {
        return switch (type) {
            case BOOL -> DataType.BOOLEAN;
            case INT8 -> DataType.INT8;
            case FP64 -> DataType.FLOAT64;
            case BYTES -> throw new IllegalArgumentException("BYTES tensors have no NDArray type");
            case UINT8 -> DataType.UINT8;
            case INT32 -> DataType.INT32;
            case INT64 -> DataType.INT64;
            case FP16 -> DataType.FLOAT16;
            case FP32 -> DataType.FLOAT32;
        };
    }

    public static TensorType tensorType(DataType type) throws InferenceException {
        return switch (type) {
            case BOOLEAN -> TensorType.BOOL;
            case INT8 -> TensorType.INT8;
            case FLOAT64 -> TensorType.FP64;
            case UINT8 -> TensorType.UINT8;
            case INT32 -> TensorType.INT32;
            case INT64 -> TensorType.INT64;
            case FLOAT16 -> TensorType.FP16;
            case FLOAT32 -> TensorType.FP32;
            default -> throw new InferenceException("tensor type " + type + " has no Open Inference Protocol equivalent here");
        };
    }

    /** A copy of {@code t} on {@code manager}'s device, named like the tensor. */
    public static NDArray toNDArray(NDManager manager, Tensor t) {
        // a fresh view: the tensor's own buffer position is never moved, so tensors can be submitted again
        ByteBuffer data = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        NDArray a = manager.create(data, new Shape(t.shape()), dataType(t.type()));
        a.setName(t.name());
        return a;
    }

    /** A copy of {@code a} (from any device) as an API tensor called {@code name}. */
    public static Tensor toTensor(NDArray a, String name) throws InferenceException {
        TensorType type = tensorType(a.getDataType());
        if (type == TensorType.BOOL) {
            // DJL hands booleans as one byte each, as the protocol does
            return new Tensor(name, type, a.getShape().getShape(), a.toByteBuffer().rewind());
        }
        ByteBuffer data = a.toByteBuffer(); // a host copy, contiguous, in native (little-endian on x86/arm) order
        if (data.order() != ByteOrder.LITTLE_ENDIAN && type.bytes() > 1) {
            throw new InferenceException("big-endian hosts are not supported for " + type + " tensors");
        }
        return new Tensor(name, type, a.getShape().getShape(), data.rewind());
    }
}

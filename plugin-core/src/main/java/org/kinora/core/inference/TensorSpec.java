package org.kinora.core.inference;

/**
 * A model's declared input or output. {@code -1} in the shape means any size.
 *
 * @param name  the tensor name
 * @param type  the element type
 * @param shape the dimensions, {@code -1} for variable ones
 */
public record TensorSpec(String name, TensorType type, long[] shape) {
    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}

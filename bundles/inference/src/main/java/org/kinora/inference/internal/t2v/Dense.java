package org.kinora.inference.internal.t2v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/** A fully connected layer over the last axis: {@code y = x W^T + b}. */
final class Dense extends ZeroableLayer {

    Dense(int in, int out, boolean zero) {
        super(in, out, new Shape(out, in), zero);
    }

    Dense(int in, int out) {
        this(in, out, false);
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    @Override
    Shape sampleInput() {
        return new Shape(1, inputs());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] dims = inputShapes[0].getShape().clone();
        dims[dims.length - 1] = out;
        return new Shape[] {new Shape(dims)};
    }
}

package org.kinora.inference.internal.t2v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A fully connected layer over the last axis with its sizes fixed at construction (so it initializes without a sample
 * input, whatever the sequence length): {@code y = x W^T + b}. {@code zero} layers start at zero (adaLN-Zero and the
 * output projection of a DiT, so every block starts as the identity).
 */
final class Dense extends AbstractBlock {

    final boolean zero;
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    Dense(int in, int out, boolean zero) {
        super((byte) 1);
        this.in = in;
        this.out = out;
        this.zero = zero;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).optShape(new Shape(out, in)).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).optShape(new Shape(out)).build());
    }

    Dense(int in, int out) {
        this(in, out, false);
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        return Linear.linear(x, w, b).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long[] dims = s.getShape().clone();
        dims[dims.length - 1] = out;
        return new Shape[] {new Shape(dims)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }

    /** Sets the parameters of a zero-initialized layer to zero (after initialization). */
    void zeroIfMarked() {
        if (zero) {
            weight.getArray().muli(0f);
            bias.getArray().muli(0f);
        }
    }

    int inputs() {
        return in;
    }
}

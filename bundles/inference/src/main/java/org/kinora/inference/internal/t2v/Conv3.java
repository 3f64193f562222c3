package org.kinora.inference.internal.t2v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A 3x3 convolution over {@code [N, C, H, W]} with padding 1 (same size out) and its sizes fixed at construction, as
 * {@link Dense} is. {@code zero} layers start at zero, so a residual branch ending in one starts as nothing.
 */
final class Conv3 extends AbstractBlock {

    final boolean zero;
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    Conv3(int in, int out, boolean zero) {
        super((byte) 1);
        this.in = in;
        this.out = out;
        this.zero = zero;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(out, in, 3, 3)).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).optShape(new Shape(out)).build());
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        Shape one = new Shape(1, 1);
        return Conv2d.conv2d(x, w, b, one, one, one, 1).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, s.get(2), s.get(3))};
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

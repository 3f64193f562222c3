package org.kinora.inference.internal.t2v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A layer with a weight and a bias whose sizes are fixed at construction (so it initializes without a sample input,
 * whatever the sequence length or frame size). {@code zero} layers start at zero: adaLN-Zero and the last layer of a
 * residual branch, so every block starts as the identity.
 */
abstract class ZeroableLayer extends AbstractBlock {

    final boolean zero;
    private final int in;
    final int out;
    final Parameter weight;
    final Parameter bias;

    ZeroableLayer(int in, int out, Shape weightShape, boolean zero) {
        super((byte) 1);
        this.in = in;
        this.out = out;
        this.zero = zero;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).optShape(weightShape).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).optShape(new Shape(out)).build());
    }

    abstract NDArray apply(ParameterStore ps, NDArray x, boolean training);

    /** A smallest input of the right layout, to initialize with. */
    abstract Shape sampleInput();

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
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

package org.kinora.inference.internal.t2v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;

/** A 3x3 convolution over {@code [N, C, H, W]} with padding 1, so the picture keeps its size. */
final class Conv3 extends ZeroableLayer {

    Conv3(int in, int out, boolean zero) {
        super(in, out, new Shape(out, in, 3, 3), zero);
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        Shape one = new Shape(1, 1);
        return Conv2d.conv2d(x, w, b, one, one, one, 1).singletonOrThrow();
    }

    @Override
    Shape sampleInput() {
        return new Shape(1, inputs(), 3, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, s.get(2), s.get(3))};
    }
}

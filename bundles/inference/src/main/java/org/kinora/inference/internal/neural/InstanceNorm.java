package org.kinora.inference.internal.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Instance normalization (Ulyanov et al. 2016) with a learned per-channel scale and shift, on {@code [N, C, H, W]}: each
 * image's channel is normalized by its own spatial mean and variance. DJL 0.35 has batch and layer norm but no instance
 * norm; style networks need it because the statistics of one picture (not of the batch) carry its contrast.
 */
public final class InstanceNorm extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float EPS = 1e-5f;

    private final Parameter gamma;
    private final Parameter beta;

    /** @param channels the number of channels C */
    public InstanceNorm(int channels) {
        super(VERSION);
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(1, channels, 1, 1)).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(1, channels, 1, 1)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray g = store.getValue(gamma, x.getDevice(), training);
        NDArray b = store.getValue(beta, x.getDevice(), training);
        NDArray centred = x.sub(spatialMean(x));
        NDArray var = spatialMean(centred.square());
        return new NDList(centred.div(var.add(EPS).sqrt()).mul(g).add(b));
    }

    /** The mean over H and W, kept as {@code [N, C, 1, 1]} (PyTorch's DJL mean takes one axis at a time). */
    private static NDArray spatialMean(NDArray x) {
        return x.mean(new int[] {3}, true).mean(new int[] {2}, true);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}

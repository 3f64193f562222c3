package org.kinora.inference.internal.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import java.util.List;

/**
 * The style network: a small feed-forward image-to-image net of the fast-neural-style family (Johnson et al. 2016,
 * "Perceptual Losses for Real-Time Style Transfer"), cut down to run on a 2-core CPU. Fully convolutional, any size whose
 * sides are multiples of 4 ({@link #PAD_TO}); input and output {@code float32 [N, 3, H, W]} in {@code [0, 1]}.
 *
 * <ul>
 *   <li>Encoder: two stride-2 3x3 convolutions (3 to 16 channels at 1/2 resolution, 16 to 48 at 1/4), each followed by
 *       instance norm and ReLU.</li>
 *   <li>{@value #RES_BLOCKS} residual blocks at 1/4 resolution, 48 channels. Each conv is depthwise-separable (a 3x3
 *       depthwise conv then a 1x1 conv, MobileNet style): full 3x3 convs at 48 channels would cost about 2.6 kMAC per
 *       output pixel per block, more than the whole budget.</li>
 *   <li>Decoder: a 1x1 conv to 24 channels, nearest-neighbour 2x upsampling + 3x3 conv to 12 channels (IN, ReLU),
 *       nearest 2x upsampling + 3x3 conv to 3 channels.</li>
 *   <li>The decoder's output is added to the input picture's logit (a global skip, then a sigmoid, so the output stays
 *       in (0, 1)): the net learns the change the style makes,
 *       so the full-resolution detail of the frame survives although the net's own work is at 1/2 and 1/4 resolution,
 *       and an untrained net starts near the identity, which matters with the few thousand training steps a CPU
 *       affords.</li>
 * </ul>
 *
 * <p>Cost: about {@value #MAC_PER_PIXEL} multiply-accumulates per input pixel ({@link #gflop}: about 10.8 GFLOP for a
 * 1920x1080 frame, against about 640 GFLOP for Johnson's original net).
 */
public final class StyleNet {

    /** Input sides must be multiples of this (two stride-2 stages); callers pad. */
    public static final int PAD_TO = 4;
    /** Residual blocks at 1/4 resolution. */
    static final int RES_BLOCKS = 3;
    /** Multiply-accumulates per input pixel, counted layer by layer (see the class comment and {@link #macPerPixel}). */
    public static final int MAC_PER_PIXEL = 2610;

    private static final int C1 = 16;
    private static final int C2 = 48;
    private static final int CD0 = 24;
    private static final int CD1 = 12;

    private StyleNet() {
    }

    /** A fresh, uninitialized network. */
    public static Block build() {
        SequentialBlock body = new SequentialBlock()
                .add(conv(C1, 3, 2)).add(new InstanceNorm(C1)).add(Activation.reluBlock())
                .add(conv(C2, 3, 2)).add(new InstanceNorm(C2)).add(Activation.reluBlock());
        for (int i = 0; i < RES_BLOCKS; i++) {
            body.add(residual(C2));
        }
        body.add(conv(CD0, 1, 1))
                .add(upsample()).add(conv(CD1, 3, 1)).add(new InstanceNorm(CD1)).add(Activation.reluBlock())
                .add(upsample()).add(conv(3, 3, 1));
        // output = sigmoid(logit(input) + body(input))
        return new ParallelBlock(StyleNet::blend, List.of(body, Blocks.identityBlock()));
    }

    /** Counted multiply-accumulates per input pixel (convolutions only; norms and activations are a few more). */
    static double macPerPixel() {
        double enc = 9.0 * 3 * C1 / 4 + 9.0 * C1 * C2 / 16;
        double res = RES_BLOCKS * 2 * (9.0 * C2 + C2 * C2) / 16;
        double dec = 1.0 * C2 * CD0 / 16 + 9.0 * CD0 * CD1 / 4 + 9.0 * CD1 * 3;
        return enc + res + dec;
    }

    /** GFLOP (2 per multiply-accumulate) for one frame of {@code w x h}. */
    public static double gflop(int w, int h) {
        return 2 * macPerPixel() * w * h / 1e9;
    }

    private static NDList sum(List<NDList> branches) {
        return new NDList(branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow()));
    }

    /** Keeps the input's logit finite. */
    private static final float EDGE = 1f / 512;

    /**
     * {@code sigmoid(logit(input) + change)}: the change is added in logit space, so the output stays in (0, 1) however
     * large the change, and a zero change is the input. Unbounded outputs let training meet the colour and feature
     * statistics with values far outside [0, 1] that clipping then turns into something else (and blew up gradients).
     */
    private static NDList blend(List<NDList> branches) {
        NDArray change = branches.get(0).singletonOrThrow();
        NDArray x = branches.get(1).singletonOrThrow().clip(EDGE, 1 - EDGE);
        NDArray logit = x.div(x.sub(1f).neg()).log();
        return new NDList(logit.add(change).getNDArrayInternal().sigmoid());
    }

    private static Block conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).build();
    }

    private static Block depthwiseSeparable(int channels) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(channels).optGroups(channels)
                        .optPadding(new Shape(1, 1)).optBias(false).build())
                .add(conv(channels, 1, 1));
    }

    private static Block residual(int channels) {
        SequentialBlock branch = new SequentialBlock()
                .add(depthwiseSeparable(channels)).add(new InstanceNorm(channels)).add(Activation.reluBlock())
                .add(depthwiseSeparable(channels)).add(new InstanceNorm(channels));
        return new ParallelBlock(StyleNet::sum, List.of(branch, Blocks.identityBlock()));
    }

    private static Block upsample() {
        return LambdaBlock.singleton(StyleNet::nearest2x, "nearest2x");
    }

    /** Nearest-neighbour 2x upsampling as one broadcast copy (two repeat-interleaves cost twice the memory traffic). */
    static NDArray nearest2x(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        return x.reshape(n, c, h, 1, w, 1).broadcast(n, c, h, 2, w, 2).reshape(n, c, 2 * h, 2 * w);
    }
}

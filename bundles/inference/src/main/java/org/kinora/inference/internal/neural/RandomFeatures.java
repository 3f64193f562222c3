package org.kinora.inference.internal.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * The loss network: a FIXED random-weight multi-scale conv net standing in for VGG, whose pretrained weights cannot be
 * had on this project's registries. Four 3x3 conv + ReLU layers with 2x2 average pooling between them (3 to 16 channels
 * at full resolution, 16 to 32 at 1/2, 32 to 64 at 1/4, 64 to 128 at 1/8), He-normal random weights drawn once from
 * the training seed, no biases, never trained. Ustyuzhaninov et al. 2016 ("What does it take to generate natural
 * textures?") showed that Gram matrices of random shallow conv features already give usable texture statistics; they are
 * weaker than VGG's at object-level structure, which is why the content loss and the colour terms do part of the work.
 */
public final class RandomFeatures implements AutoCloseable {

    /** Channels per layer. */
    static final int[] CHANNELS = {16, 32, 64, 128};
    /** Per-channel input normalization: roughly centres photos in [0, 1] and scales them to unit spread. */
    private static final float MEAN = 0.45f;
    private static final float SCALE = 1 / 0.25f;

    private final NDManager manager;
    private final List<NDArray> weights = new ArrayList<>();

    /** Draws the weights on {@code parent}'s device; the engine's random seed must be set before for reproducibility. */
    public RandomFeatures(NDManager parent) {
        manager = parent.newSubManager();
        int in = 3;
        for (int c : CHANNELS) {
            float std = (float) Math.sqrt(2.0 / (9 * in));
            weights.add(manager.randomNormal(0f, std, new Shape(c, in, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32));
            in = c;
        }
    }

    /** The feature maps of every layer for {@code rgb} {@code [N, 3, H, W]} in {@code [0, 1]}, finest first. */
    public List<NDArray> features(NDArray rgb) {
        List<NDArray> out = new ArrayList<>(weights.size());
        NDArray x = rgb.sub(MEAN).mul(SCALE);
        for (int i = 0; i < weights.size(); i++) {
            if (i > 0) {
                x = Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
            }
            NDList y = Conv2d.conv2d(x, weights.get(i), null, new Shape(1, 1), new Shape(1, 1));
            x = Activation.relu(y.singletonOrThrow());
            out.add(x);
        }
        return out;
    }

    /** Gram matrices {@code [N, C, C]} of a feature map {@code [N, C, H, W]}, divided by {@code H * W}. */
    public static NDArray gram(NDArray f) {
        Shape s = f.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long hw = s.get(2) * s.get(3);
        NDArray flat = f.reshape(n, c, hw);
        return flat.batchMatMul(flat.transpose(0, 2, 1)).div((float) hw);
    }

    @Override
    public void close() {
        manager.close();
    }
}

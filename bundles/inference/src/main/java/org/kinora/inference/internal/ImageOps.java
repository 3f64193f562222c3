package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * Image building blocks as NDArray operations on {@code float32 [N, C, H, W]} images in {@code [0, 1]}. Everything is a
 * whole-tensor operation (pooling, convolution, element-wise math), so it runs on the device the arrays live on.
 */
final class ImageOps {

    /** BT.601 luma weights. */
    static final float[] LUMA = {0.299f, 0.587f, 0.114f};

    private static final float[] RGB_TO_YCC = {
        0.299f, 0.587f, 0.114f,
        -0.168736f, -0.331264f, 0.5f,
        0.5f, -0.418688f, -0.081312f};
    private static final float[] YCC_TO_RGB = {
        1f, 0f, 1.402f,
        1f, -0.344136f, -0.714136f,
        1f, 1.772f, 0f};

    private ImageOps() {
    }

    /** A size-dependent radius: {@code min(H, W) / divisor}, at least {@code min}. */
    static int radius(NDArray img, double divisor, int min) {
        Shape s = img.getShape();
        long side = Math.min(s.get(2), s.get(3));
        return (int) Math.max(min, Math.round(side / divisor));
    }

    /** Mean over a {@code (2r+1)^2} window, separable, borders averaged over the pixels inside the image. */
    static NDArray box(NDArray x, int r) {
        if (r <= 0) {
            return x;
        }
        NDArray sum = boxPadded(x, r);
        // DJL 0.35.1's PyTorch avgPool counts the zero padding whatever countIncludePad says: divide by the true
        // number of pixels under the window (computed the same way on a one-channel image of ones)
        Shape s = x.getShape();
        NDArray count = boxPadded(x.getManager().ones(new Shape(1, 1, s.get(2), s.get(3))), r);
        return sum.div(count);
    }

    private static NDArray boxPadded(NDArray x, int r) {
        int k = 2 * r + 1;
        NDArray h = Pool.avgPool2d(x, new Shape(1, k), new Shape(1, 1), new Shape(0, r), false, true);
        return Pool.avgPool2d(h, new Shape(k, 1), new Shape(1, 1), new Shape(r, 0), false, true);
    }

    /** Gaussian blur of standard deviation {@code sigma}, approximated by three box passes. */
    static NDArray gauss(NDArray x, double sigma) {
        double w = Math.sqrt(12 * sigma * sigma / 3 + 1);
        int r = (int) Math.max(1, Math.round((w - 1) / 2));
        return box(box(box(x, r), r), r);
    }

    /** Pads H and W by repeating the border pixels {@code r} times. */
    static NDArray padReplicate(NDArray x, int r) {
        if (r <= 0) {
            return x;
        }
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray top = x.get(new NDIndex(":, :, 0:1, :")).repeat(2, r);
        NDArray bottom = x.get(new NDIndex(":, :, {}:{}, :", h - 1, h)).repeat(2, r);
        NDArray v = NDArrays.concat(new NDList(top, x, bottom), 2);
        NDArray left = v.get(new NDIndex(":, :, :, 0:1")).repeat(3, r);
        NDArray right = v.get(new NDIndex(":, :, :, {}:{}", w - 1, w)).repeat(3, r);
        return NDArrays.concat(new NDList(left, v, right), 3);
    }

    /** A 1x1 convolution with a {@code [out, in]} matrix (row-major) and an optional bias. */
    static NDArray mix(NDArray x, float[] matrix, int out, float[] bias) {
        NDManager m = x.getManager();
        int in = matrix.length / out;
        NDArray weight = m.create(matrix, new Shape(out, in, 1, 1));
        NDArray b = bias == null ? null : m.create(bias, new Shape(out));
        return Conv2d.conv2d(x, weight, b).singletonOrThrow();
    }

    /** Luma, {@code [N, 1, H, W]}. */
    static NDArray luma(NDArray rgb) {
        return mix(rgb, LUMA, 1, null);
    }

    /** RGB to Y, Cb, Cr (Cb, Cr centred on 0). */
    static NDArray rgbToYcc(NDArray rgb) {
        return mix(rgb, RGB_TO_YCC, 3, null);
    }

    /** Y, Cb, Cr (centred on 0) to RGB. */
    static NDArray yccToRgb(NDArray ycc) {
        return mix(ycc, YCC_TO_RGB, 3, null);
    }

    /** Channels {@code from..to-1}. */
    static NDArray channels(NDArray x, int from, int to) {
        return x.get(new NDIndex(":, {}:{}", from, to));
    }

    /**
     * Self-guided filter (He et al.), per channel: smooths where the local variance is below {@code eps} and keeps
     * edges whose variance is above it.
     */
    static NDArray guidedFilter(NDArray x, int r, float eps) {
        long c = x.getShape().get(1);
        NDArray stats = box(NDArrays.concat(new NDList(x, x.square()), 1), r);
        NDArray mean = channels(stats, 0, (int) c);
        NDArray var = channels(stats, (int) c, (int) (2 * c)).sub(mean.square()).maximum(0f);
        NDArray a = var.div(var.add(eps));
        NDArray b = mean.sub(a.mul(mean));
        NDArray ab = box(NDArrays.concat(new NDList(a, b), 1), r);
        return channels(ab, 0, (int) c).mul(x).add(channels(ab, (int) c, (int) (2 * c)));
    }

    /** Sobel gradient magnitude of a one-channel image, normalized so a step of height h gives about h. */
    static NDArray sobel(NDArray y) {
        float[] k = {
            -1, 0, 1, -2, 0, 2, -1, 0, 1,
            -1, -2, -1, 0, 0, 0, 1, 2, 1};
        for (int i = 0; i < k.length; i++) {
            k[i] /= 4f;
        }
        NDArray weight = y.getManager().create(k, new Shape(2, 1, 3, 3));
        NDArray g = Conv2d.conv2d(padReplicate(y, 1), weight).singletonOrThrow();
        return g.square().sum(new int[] {1}, true).sqrt();
    }

    /** Grows bright regions of a mask by {@code r} pixels (max filter). */
    static NDArray dilate(NDArray mask, int r) {
        if (r <= 0) {
            return mask;
        }
        int k = 2 * r + 1;
        return Pool.maxPool2d(mask, new Shape(k, k), new Shape(1, 1), new Shape(r, r), false);
    }

    /** Scales chroma by {@code saturation} and luma contrast around mid-gray by {@code contrast}. */
    static NDArray colorBoost(NDArray rgb, float saturation, float contrast) {
        NDArray ycc = rgbToYcc(rgb);
        NDArray y = channels(ycc, 0, 1).sub(0.5f).mul(contrast).add(0.5f);
        NDArray c = channels(ycc, 1, 3).mul(saturation);
        return yccToRgb(NDArrays.concat(new NDList(y, c), 1)).clip(0f, 1f);
    }

    /** Smooth step from 0 at {@code e0} to 1 at {@code e1}. */
    static NDArray smoothstep(NDArray x, float e0, float e1) {
        NDArray t = x.sub(e0).div(e1 - e0).clip(0f, 1f);
        return t.square().mul(t.mul(-2f).add(3f));
    }

    /**
     * A fixed pseudo-random field in {@code [0, 1)}, {@code [1, 1, H, W]}, the same for every frame of that size (so it
     * does not flicker), computed on the device from pixel coordinates (sine hash).
     */
    static NDArray hashNoise(NDManager m, long h, long w, float seed) {
        NDArray ys = m.arange(0f, (float) h, 1f, DataType.FLOAT32).reshape(h, 1);
        NDArray xs = m.arange(0f, (float) w, 1f, DataType.FLOAT32).reshape(1, w);
        // keep the sine's argument small so float32 keeps enough bits for the hash
        NDArray phase = xs.mul(0.1291f).add(ys.mul(0.7823f)).add(seed);
        NDArray v = phase.sin().mul(4375.85453f).add(xs.mul(0.0113f).sub(ys.mul(0.0071f)).cos().mul(1731.1f));
        return v.sub(v.floor()).reshape(1, 1, h, w);
    }
}

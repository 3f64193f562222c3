package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * {@code style-paint}: painterly look. Kuwahara filter: for every pixel the means and luma variances of the four
 * overlapping quadrants around it (box means by average pooling), taking the mean of the quadrant with the least
 * variance (softly weighted, which avoids block artifacts), on a reduced copy brought back by joint bilateral
 * upsampling, thin high-contrast details kept from the source, then a slight color boost.
 */
final class PaintModel extends ImageStyleModel {

    static final String ID = "style-paint";

    PaintModel() {
        super(ID, "Painterly look, classical: Kuwahara filter (mean of the least-variance quadrant around each pixel) "
                + "with a slight color boost.");
    }

    @Override
    NDArray stylize(NDArray rgb) {
        // broad strokes on a reduced copy, brought back to full size by joint bilateral upsampling guided by the source
        // (crisp stroke borders, no stair steps, nothing bleeding across edges); thin high-contrast details the strokes
        // cannot hold (captions, thin lines, small trunks) come back from the source
        int s = ImageOps.workScale(rgb, 360);
        NDArray lo = ImageOps.reduce(rgb, s);
        NDArray broad = kuwahara(lo, ImageOps.radius(lo, 75, 2));
        NDArray x = s == 1 ? kuwahara(broad, 2) : ImageOps.jointBilateralUpsample(rgb, lo, broad, s, 80f);
        broad.close();
        if (lo != rgb) {
            lo.close();
        }
        NDArray detailed = ImageOps.stage(() -> {
            NDArray diff = rgb.sub(x);
            NDArray dist = diff.square().sum(new int[] {1}, true).sqrt();
            return x.add(diff.muli(ImageOps.smoothstep(dist, 0.15f, 0.3f)));
        }, rgb, x);
        x.close();
        return ImageOps.colorBoost(detailed, 1.3f, 1.06f);
    }

    /** Kuwahara filter with quadrants of {@code (r+1) x (r+1)} pixels. */
    static NDArray kuwahara(NDArray rgb, int r) {
        return ImageOps.stage(() -> kuwaharaIn(rgb, r), rgb);
    }

    private static NDArray kuwaharaIn(NDArray rgb, int r) {
        Shape s = rgb.getShape();
        long h = s.get(2);
        long w = s.get(3);
        NDArray y = ImageOps.luma(rgb);
        NDArray f = ImageOps.padReplicate(NDArrays.concat(new NDList(rgb, y, y.square()), 1), r);
        int k = r + 1;
        // means over every (r+1)x(r+1) window of the padded image: [N, 5, H + r, W + r]
        NDArray m = ImageOps.windowSum(ImageOps.windowSum(f, 3, k), 2, k).div((float) (k * k));
        long[][] offsets = {{0, 0}, {0, r}, {r, 0}, {r, r}};
        NDList means = new NDList();
        NDList vars = new NDList();
        for (long[] o : offsets) {
            NDArray q = m.get(new NDIndex(":, :, {}:{}, {}:{}", o[0], o[0] + h, o[1], o[1] + w));
            means.add(ImageOps.channels(q, 0, 3));
            vars.add(ImageOps.channels(q, 4, 5).sub(ImageOps.channels(q, 3, 4).square()).maximum(0f));
        }
        NDArray var = NDArrays.concat(vars, 1); // [N, 4, H, W]
        NDArray min = var.min(new int[] {1}, true);
        float eps = 1e-5f;
        NDArray weight = min.add(eps).div(var.add(eps)).pow(8f); // 1 for the least-variance quadrant, ~0 for the others
        NDArray sum = weight.sum(new int[] {1}, true);
        NDArray out = null;
        for (int i = 0; i < 4; i++) {
            NDArray term = means.get(i).mul(ImageOps.channels(weight, i, i + 1));
            if (out == null) {
                out = term;
            } else {
                out.addi(term);
            }
        }
        return out.divi(sum);
    }
}

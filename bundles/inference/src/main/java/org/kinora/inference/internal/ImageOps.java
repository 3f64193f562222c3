package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import java.util.function.Supplier;

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

    /**
     * Runs one stage of an algorithm in a scope of its own: {@code inputs} are lent to a sub-manager of the first one's
     * manager while {@code body} runs, so everything the stage allocates (arrays take their inputs' manager) is freed as
     * soon as it ends, except its result, which is handed to that manager. Keeps the peak memory of a long chain of
     * full-size operations at what one stage needs rather than the sum of all of them.
     */
    static NDArray stage(Supplier<NDArray> body, NDArray... inputs) {
        NDManager parent = inputs[0].getManager();
        try (NDManager scope = parent.newSubManager()) {
            java.util.Set<NDArray> lent = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (NDArray a : inputs) {
                if (lent.add(a)) { // lending one array twice would return it to this scope, not to its owner
                    a.tempAttach(scope);
                }
            }
            NDArray out = body.get();
            out.attach(parent);
            return out;
        }
    }

    /** A size-dependent radius: {@code min(H, W) / divisor}, at least {@code min}. */
    static int radius(NDArray img, double divisor, int min) {
        Shape s = img.getShape();
        long side = Math.min(s.get(2), s.get(3));
        return (int) Math.max(min, Math.round(side / divisor));
    }

    /**
     * Mean over a {@code (2r+1)^2} window, separable, borders averaged over the pixels inside the image. Running sums
     * (cumulative sum, then a difference of two shifted slices): the cost does not depend on the radius.
     */
    static NDArray box(NDArray x, int r) {
        if (r <= 0) {
            return x;
        }
        return stage(() -> {
            NDManager m = x.getManager();
            Shape s = x.getShape();
            long h = s.get(2);
            long w = s.get(3);
            NDArray sum = windowSum(zeroPad(windowSum(zeroPad(x, 3, r), 3, 2 * r + 1), 2, r), 2, 2 * r + 1);
            // pixels under each window: (rows inside) x (columns inside), broadcast over the image
            NDArray rows = windowSum(zeroPad(m.ones(new Shape(1, 1, h, 1)), 2, r), 2, 2 * r + 1);
            NDArray cols = windowSum(zeroPad(m.ones(new Shape(1, 1, 1, w)), 3, r), 3, 2 * r + 1);
            return sum.divi(rows.mul(cols));
        }, x);
    }

    /** Sums of {@code k} consecutive elements along {@code axis}: length {@code L - k + 1}. */
    static NDArray windowSum(NDArray x, int axis, int k) {
        Shape s = x.getShape();
        long len = s.get(axis);
        long[] zs = s.getShape().clone();
        zs[axis] = 1;
        NDArray c = NDArrays.concat(new NDList(x.getManager().zeros(new Shape(zs), x.getDataType()), x), axis).cumSum(axis);
        return c.get(slice(axis, k, len + 1)).sub(c.get(slice(axis, 0, len + 1 - k)));
    }

    private static NDArray zeroPad(NDArray x, int axis, int r) {
        long[] zs = x.getShape().getShape().clone();
        zs[axis] = r;
        NDArray z = x.getManager().zeros(new Shape(zs), x.getDataType());
        return NDArrays.concat(new NDList(z, x, z), axis);
    }

    private static NDIndex slice(int axis, long from, long to) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < axis; i++) {
            b.append(":, ");
        }
        return new NDIndex(b.append(from).append(':').append(to).toString());
    }

    /**
     * The factor a picture is reduced by for the heavy, smooth parts of a style, so they cost about the same at any
     * resolution: the short side becomes about {@code workSide} pixels (1 for small pictures).
     */
    static int workScale(NDArray img, int workSide) {
        Shape s = img.getShape();
        return (int) Math.max(1, Math.round(Math.min(s.get(2), s.get(3)) / (double) workSide));
    }

    /** Area-average reduction by {@code factor} (sizes rounded up). */
    static NDArray reduce(NDArray x, int factor) {
        if (factor <= 1) {
            return x;
        }
        Shape s = x.getShape();
        return resize(x, (s.get(2) + factor - 1) / factor, (s.get(3) + factor - 1) / factor, Image.Interpolation.AREA);
    }

    /** Bilinear resize of {@code [N, C, H, W]} to {@code h x w}. */
    static NDArray resize(NDArray x, long h, long w, Image.Interpolation how) {
        Shape s = x.getShape();
        if (s.get(2) == h && s.get(3) == w) {
            return x;
        }
        // NDImageUtils works on NHWC; the transposes are views, so no pixels are copied for them
        return NDImageUtils.resize(x.transpose(0, 2, 3, 1), (int) w, (int) h, how).transpose(0, 3, 1, 2);
    }

    /** Bilinear enlargement of {@code x} to the size of {@code like}. */
    static NDArray enlarge(NDArray x, NDArray like) {
        Shape s = like.getShape();
        return resize(x, s.get(2), s.get(3), Image.Interpolation.BILINEAR);
    }

    /**
     * Joint bilateral upsampling (Kopf et al.) by the integer {@code factor} that {@code guideLo} was reduced from
     * {@code guide} by: every full-size pixel averages the values of the 2 x 2 reduced pixels around it (bilinear
     * weights) weighted by how alike its own color in {@code guide} is to theirs in {@code guideLo}
     * ({@code exp(-k |guide - guideLo|^2)}). Values are only taken from the side of an edge the pixel lies on, so edges
     * come back crisp and nothing bleeds across them (no halos), and being a convex combination it never overshoots.
     * {@code values} ({@code [N, C, h, w]}, any C) has the size of {@code guideLo}; the result has that of {@code guide}.
     * Worked out per phase (the full-size pixels at the same place in their {@code factor x factor} cell): then all
     * arrays have the reduced size and the bilinear weights are constants.
     */
    static NDArray jointBilateralUpsample(NDArray guide, NDArray guideLo, NDArray values, int factor, float k) {
        if (factor <= 1) {
            return values;
        }
        return stage(() -> jointBilateralUpsampleIn(guide, guideLo, values, factor, k), guide, guideLo, values);
    }

    private static NDArray jointBilateralUpsampleIn(NDArray guide, NDArray guideLo, NDArray values, int factor, float k) {
        int s = factor;
        Shape gs = guide.getShape();
        long n = gs.get(0);
        long gc = gs.get(1);
        long h = gs.get(2);
        long w = gs.get(3);
        long vc = values.getShape().get(1);
        int c = s / 2;
        // full-size pixel y lies between reduced rows i - 1 and i, i = (y + s - c) / s: pad so that cells line up
        long h2 = (h + s - c + s - 1) / s;
        long w2 = (w + s - c + s - 1) / s;
        NDArray g = padSides(guide, s - c, h2 * s - h - (s - c), s - c, w2 * s - w - (s - c));
        NDArray both = padReplicate(NDArrays.concat(new NDList(guideLo, values), 1), 1);
        NDArray[][] taps = new NDArray[2][2];
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                taps[dy][dx] = both.get(new NDIndex(":, :, {}:{}, {}:{}", dy, dy + h2, dx, dx + w2));
            }
        }
        NDList phases = new NDList();
        for (int jy = 0; jy < s; jy++) {
            float fy = (jy + c + 0.5f) / s - 0.5f; // the weight of the lower tap
            for (int jx = 0; jx < s; jx++) {
                float fx = (jx + c + 0.5f) / s - 0.5f;
                NDArray gp = g.get(new NDIndex(":, :, {}::{}, {}::{}", jy, s, jx, s));
                phases.add(stage(() -> {
                    NDArray acc = null;
                    NDArray sum = null;
                    for (int dy = 0; dy <= 1; dy++) {
                        for (int dx = 0; dx <= 1; dx++) {
                            float sp = (dy == 0 ? 1 - fy : fy) * (dx == 0 ? 1 - fx : fx);
                            if (sp <= 0f) {
                                continue;
                            }
                            NDArray tap = taps[dy][dx];
                            NDArray d = gp.sub(tap.get(new NDIndex(":, 0:{}", gc)));
                            // the small floor keeps the plain bilinear result where no neighbor is alike
                            NDArray wt = d.muli(d).sum(new int[] {1}, true).muli(-k).exp().addi(1e-4f).muli(sp);
                            NDArray term = tap.get(new NDIndex(":, {}:", gc)).mul(wt);
                            if (acc == null) {
                                acc = term;
                                sum = wt;
                            } else {
                                acc.addi(term);
                                sum.addi(wt);
                            }
                        }
                    }
                    return acc.divi(sum);
                }, gp, taps[0][0], taps[0][1], taps[1][0], taps[1][1]));
                gp.close();
            }
        }
        g.close();
        both.close();
        // [N, C, h2, w2, s * s] -> [N, C, h2, s, w2, s] -> full size
        NDArray stacked = NDArrays.stack(phases, 4);
        phases.close();
        NDArray full = stacked.reshape(n, vc, h2, w2, s, s).transpose(0, 1, 2, 4, 3, 5).reshape(n, vc, h2 * s, w2 * s);
        stacked.close();
        return full.get(new NDIndex(":, :, {}:{}, {}:{}", s - c, s - c + h, s - c, s - c + w));
    }

    /**
     * Edge-avoiding smoothing by a few bilateral iterations with spreading taps (3 x 3 taps {@code 1, 2, 4, ...} pixels
     * apart, "a trous"): each pixel averages its taps weighted by color likeness {@code exp(-k |x - tap|^2)}, so flat
     * regions flatten and texture fades while edges between differently colored regions do not blur at all.
     */
    static NDArray bilateralAtrous(NDArray x, int iterations, float k) {
        NDArray cur = x;
        for (int it = 0; it < iterations; it++) {
            int d = 1 << it;
            NDArray in = cur;
            cur = stage(() -> {
                long h = in.getShape().get(2);
                long w = in.getShape().get(3);
                NDArray p = padReplicate(in, d);
                NDArray acc = null;
                NDArray sum = null;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if (dy == 0 && dx == 0) {
                            continue;
                        }
                        NDArray tap = p.get(new NDIndex(":, :, {}:{}, {}:{}", d + dy * d, d + dy * d + h, d + dx * d, d + dx * d + w));
                        // diagonal taps are farther: half the spatial weight
                        float sp = dy != 0 && dx != 0 ? 0.5f : 1f;
                        NDArray wt = tap.sub(in).square().sum(new int[] {1}, true).muli(-k).exp().muli(sp);
                        acc = acc == null ? in.add(tap.mul(wt)) : acc.addi(tap.mul(wt));
                        sum = sum == null ? wt : sum.addi(wt);
                    }
                }
                return acc.divi(sum.addi(1f));
            }, in);
            if (in != x) {
                in.close();
            }
        }
        return cur;
    }

    /** Pads H and W by repeating the border pixels: {@code top}, {@code bottom}, {@code left}, {@code right} times. */
    static NDArray padSides(NDArray x, long top, long bottom, long left, long right) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDList rows = new NDList();
        if (top > 0) {
            rows.add(x.get(new NDIndex(":, :, 0:1, :")).repeat(2, top));
        }
        rows.add(x);
        if (bottom > 0) {
            rows.add(x.get(new NDIndex(":, :, {}:{}, :", h - 1, h)).repeat(2, bottom));
        }
        NDArray v = rows.size() == 1 ? x : NDArrays.concat(rows, 2);
        NDList cols = new NDList();
        if (left > 0) {
            cols.add(v.get(new NDIndex(":, :, :, 0:1")).repeat(3, left));
        }
        cols.add(v);
        if (right > 0) {
            cols.add(v.get(new NDIndex(":, :, :, {}:{}", w - 1, w)).repeat(3, right));
        }
        return cols.size() == 1 ? v : NDArrays.concat(cols, 3);
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

    /** Per-pixel linear map of the channels: {@code [out, in]} matrix (row-major), as one batched matrix product. */
    static NDArray mix(NDArray x, float[] matrix, int out, float[] bias) {
        NDManager m = x.getManager();
        Shape s = x.getShape();
        int in = matrix.length / out;
        NDArray flat = x.reshape(s.get(0), in, s.get(2) * s.get(3));
        NDArray y = m.create(matrix, new Shape(out, in)).matMul(flat);
        if (bias != null) {
            y = y.add(m.create(bias, new Shape(out, 1)));
        }
        return y.reshape(s.get(0), out, s.get(2), s.get(3));
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
        long h = y.getShape().get(2);
        long w = y.getShape().get(3);
        NDArray p = padReplicate(y, 1);
        // vertical [1 2 1] / 4 smoothing and horizontal central difference, and the transpose
        NDArray rowsUp = p.get(new NDIndex(":, :, 0:{}, :", h));
        NDArray rowsMid = p.get(new NDIndex(":, :, 1:{}, :", h + 1));
        NDArray rowsDown = p.get(new NDIndex(":, :, 2:{}, :", h + 2));
        NDArray sv = rowsUp.add(rowsMid.mul(2f)).add(rowsDown);
        NDArray gx = sv.get(new NDIndex(":, :, :, 2:{}", w + 2)).sub(sv.get(new NDIndex(":, :, :, 0:{}", w))).div(4f);
        NDArray colsL = p.get(new NDIndex(":, :, :, 0:{}", w));
        NDArray colsM = p.get(new NDIndex(":, :, :, 1:{}", w + 1));
        NDArray colsR = p.get(new NDIndex(":, :, :, 2:{}", w + 2));
        NDArray sh = colsL.add(colsM.mul(2f)).add(colsR);
        NDArray gy = sh.get(new NDIndex(":, :, 2:{}, :", h + 2)).sub(sh.get(new NDIndex(":, :, 0:{}, :", h))).div(4f);
        return gx.square().add(gy.square()).sqrt();
    }

    /** Grows bright regions of a mask by {@code r} pixels (separable max filter on shifted slices). */
    static NDArray dilate(NDArray mask, int r) {
        if (r <= 0) {
            return mask;
        }
        return stage(() -> {
            long h = mask.getShape().get(2);
            long w = mask.getShape().get(3);
            NDArray p = padReplicate(mask, r);
            NDArray rows = p.get(new NDIndex(":, :, 0:{}, :", h)).maximum(p.get(new NDIndex(":, :, 1:{}, :", 1 + h)));
            for (int i = 2; i <= 2 * r; i++) {
                NDArray next = rows.maximum(p.get(new NDIndex(":, :, {}:{}, :", i, i + h)));
                rows.close();
                rows = next;
            }
            NDArray out = rows.get(new NDIndex(":, :, :, 0:{}", w)).maximum(rows.get(new NDIndex(":, :, :, 1:{}", 1 + w)));
            for (int i = 2; i <= 2 * r; i++) {
                NDArray next = out.maximum(rows.get(new NDIndex(":, :, :, {}:{}", i, i + w)));
                out.close();
                out = next;
            }
            return out;
        }, mask);
    }

    /** Scales chroma by {@code saturation} and luma contrast around mid-gray by {@code contrast}. */
    static NDArray colorBoost(NDArray rgb, float saturation, float contrast) {
        return stage(() -> {
            NDArray ycc = rgbToYcc(rgb);
            NDArray y = channels(ycc, 0, 1).sub(0.5f).muli(contrast).addi(0.5f);
            NDArray c = channels(ycc, 1, 3).mul(saturation);
            ycc.close();
            NDArray both = NDArrays.concat(new NDList(y, c), 1);
            y.close();
            c.close();
            return yccToRgb(both).clip(0f, 1f);
        }, rgb);
    }

    /** Smooth step from 0 at {@code e0} to 1 at {@code e1}. */
    static NDArray smoothstep(NDArray x, float e0, float e1) {
        NDArray t = x.sub(e0).divi(e1 - e0).clip(0f, 1f);
        NDArray u = t.mul(-2f).addi(3f);
        return t.muli(t).muli(u);
    }

    /**
     * A fixed pseudo-random field in {@code [0, 1)}, {@code [1, 1, H, W]}, the same for every frame of that size (so it
     * does not flicker), computed on the device from pixel coordinates (sine hash).
     */
    static NDArray hashNoise(NDManager m, long h, long w, float seed) {
        try (NDManager scope = m.newSubManager()) {
            NDArray ys = scope.arange(0f, (float) h, 1f, DataType.FLOAT32).reshape(h, 1);
            NDArray xs = scope.arange(0f, (float) w, 1f, DataType.FLOAT32).reshape(1, w);
            // keep the sine's argument small so float32 keeps enough bits for the hash
            NDArray phase = xs.mul(0.1291f).add(ys.mul(0.7823f)).addi(seed);
            NDArray v = phase.sin().muli(4375.85453f);
            phase.close();
            v.addi(xs.mul(0.0113f).sub(ys.mul(0.0071f)).cos().muli(1731.1f));
            NDArray out = v.subi(v.floor()).reshape(1, 1, h, w);
            out.attach(m);
            return out;
        }
    }
}

package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;

/**
 * When each output pixel of a loop crossfades from the forward splat to the backward one: a staggered crossfade.
 *
 * <p>Symmetric splatting (Holynski et al. 2021) blends the forward splat (the still displaced by {@code D_t}) and the
 * backward splat (displaced by {@code D_{t-N}}) with the weights {@code 1 - t/N} and {@code t/N}, the same over the whole
 * picture. The two splats are a whole cycle's displacement apart, so mid-cycle every moving thing shows twice at half
 * contrast. Here each output pixel y crossfades over a window of {@code window * N} frames only, centred at its own
 * switch time {@code s(y) * N}; s is a smooth, fixed field over the picture (a sum of two long sinusoids, as the smooth
 * per-pixel phase offsets of cinemagraph loops, Liao et al. 2013), so at any moment only a band of the picture is between
 * the two splats and the rest shows one of them at full contrast. The weight of the backward splat at output position y
 * and loop phase {@code a = t/N} is {@code g = clamp((a - s(y)) / window + 1/2, 0, 1)}, that of the forward splat
 * {@code 1 - g}; both splats are weighted at the position they land on, so the two weights at a pixel sum to one.
 *
 * <p>s stays in {@code [window/2, 1 - window/2]}, so g is 0 everywhere at {@code t = 0} (frame 0 is the still) and 1
 * everywhere at {@code t = N} (frame N would be the backward splat at {@code D_0}, the still again): the loop stays
 * seamless. {@code window = 1} makes s = 1/2 and g = t/N everywhere: Holynski et al.'s crossfade exactly.
 */
final class Crossfade {

    /** The default window: 30 % of the cycle per pixel (the effect's default too). */
    static final double DEFAULT_WINDOW = 0.3;

    private final float window;
    private final float h;
    private final float w;

    /**
     * @param window fraction of the cycle over which each pixel crossfades, in (0, 1]
     * @param h picture height
     * @param w picture width
     */
    Crossfade(double window, long h, long w) {
        this.window = (float) window;
        this.h = h;
        this.w = w;
    }

    /**
     * The backward splat's weight g at positions {@code p} ([M, 2] x, y) of points moving along the unit directions
     * {@code dir} ([M, 2]) at loop phase {@code a = t / N}: [M, 1].
     */
    NDArray backwardShare(NDArray p, NDArray dir, double a) {
        if (window >= 1f) {
            return p.getManager().full(new ai.djl.ndarray.types.Shape(p.getShape().get(0), 1), (float) a);
        }
        NDArray s = switchTime(p, dir);
        return s.neg().addi((float) a).divi(window).addi(0.5f).clip(0f, 1f);
    }

    /**
     * The switch time s at positions {@code p} of points moving along {@code dir}, in {@code [window/2, 1 - window/2]}.
     * The two copies of a thing lie a cycle's displacement apart along its motion, and they trade places at the switch
     * times where each lands: s varies mostly across the motion (a sinusoid half a picture side long) and only slowly
     * along it (one two sides long, weaker), so the copies of a drifting thing switch at nearly the same time (the thing neither
     * fades nor doubles while they trade places) while things side by side across the motion, and far apart along it,
     * switch at different times.
     */
    private NDArray switchTime(NDArray p, NDArray dir) {
        float k = (float) (2 * Math.PI / Math.max(h, w));
        NDArray x = p.get(":, 0:1");
        NDArray y = p.get(":, 1:2");
        NDArray dx = dir.get(":, 0:1");
        NDArray dy = dir.get(":, 1:2");
        NDArray along = x.mul(dx).addi(y.mul(dy));
        NDArray across = y.mul(dx).subi(x.mul(dy));
        NDArray u = across.muli(2 * k).addi(0.5f).sin().muli(ACROSS).addi(along.muli(k / 2).addi(2.1f).sin().muli(1 - ACROSS));
        // u in [-1, 1], mostly within [-0.8, 0.8]: stretched to the whole range, clipped
        return u.muli(0.6f).addi(0.5f).clip(0f, 1f).muli(1f - window).addi(window / 2);
    }

    /** The share of the across-motion sinusoid in the switch time. */
    private static final float ACROSS = 0.7f;

    /**
     * Unit directions of the flow {@code f} ([M, 2] velocities; (1, 0) where it is still, as for a pure wave, whose two
     * splats coincide), [M, 2].
     */
    static NDArray directions(NDArray f) {
        NDArray norm = f.pow(2).sum(new int[] {1}, true).sqrt();
        NDArray still = norm.lt(1e-6f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        NDArray unit = f.div(norm.maximum(1e-6f));
        return unit.addi(still.concat(still.zerosLike(), 1));
    }
}

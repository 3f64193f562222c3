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

    /** The default window: a third of the cycle per pixel. */
    static final double DEFAULT_WINDOW = 1.0 / 3;

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

    /** The backward splat's weight g at positions {@code p} ([M, 2] x, y) and loop phase {@code a = t / N}: [M, 1]. */
    NDArray backwardShare(NDArray p, double a) {
        if (window >= 1f) {
            return p.getManager().full(new ai.djl.ndarray.types.Shape(p.getShape().get(0), 1), (float) a);
        }
        NDArray s = switchTime(p);
        return s.neg().addi((float) a).divi(window).addi(0.5f).clip(0f, 1f);
    }

    /**
     * The switch time s at positions {@code p}, in {@code [window/2, 1 - window/2]}: two sinusoids across the picture
     * in directions 70 degrees apart, each about one picture side long, so neighbouring regions switch at different
     * times but any one thing switches as a whole.
     */
    private NDArray switchTime(NDArray p) {
        float side = Math.max(h, w);
        float k = (float) (2 * Math.PI / side);
        NDArray x = p.get(":, 0:1");
        NDArray y = p.get(":, 1:2");
        NDArray u = x.mul(0.94f * k).addi(y.mul(0.34f * k)).addi(0.5f).sin()
                .addi(x.mul(-0.17f * k).addi(y.mul(1.1f * k)).addi(2.1f).sin());
        // u in [-2, 2]; its spread is mostly within [-1.5, 1.5]: stretch that to the whole range, clipped
        return u.divi(3f).addi(0.5f).clip(0f, 1f).muli(1f - window).addi(window / 2);
    }
}

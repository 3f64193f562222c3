package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;

/**
 * When each moving pixel of a loop crossfades from its forward splat to its backward one: a staggered crossfade.
 *
 * <p>Symmetric splatting (Holynski et al. 2021) blends the forward splat (the still displaced by {@code D_t}) and the
 * backward splat (displaced by {@code D_{t-N}}) with the weights {@code 1 - t/N} and {@code t/N}, the same over the whole
 * picture. The two splats are a whole cycle's displacement apart, so mid-cycle every moving thing shows twice at half
 * contrast. Here each pixel x crossfades over a window of {@code window * N} frames only, centred at its own switch
 * time {@code s(x) * N}; s is a smooth, fixed field over the picture (two long sinusoids, as the smooth per-pixel phase
 * offsets of cinemagraph loops, Liao et al. 2013), so at any moment only a band of the picture is between the two
 * splats and the rest shows one of them at full contrast. The weight of pixel x's backward splat at loop phase
 * {@code a = t/N} is {@code g = clamp((a - s(x)) / window + 1/2, 0, 1)}, that of its forward splat {@code 1 - g}. Each moving pixel carries its switch time to both its splats (a thing's two copies always add up to one
 * copy); where they land, the splats of other pixels, lying along the same motion, switch at nearly the same time (see
 * {@link #switchField}), so the weights there add up to about one.
 *
 * <p>s stays in {@code [window/2, 1 - window/2]}, so g is 0 everywhere at {@code t = 0} (frame 0 is the still) and 1
 * everywhere at {@code t = N} (frame N would be the backward splat at {@code D_0}, the still again): the loop stays
 * seamless. {@code window = 1} makes s = 1/2 and g = t/N everywhere: Holynski et al.'s crossfade exactly.
 */
final class Crossfade {

    /** The default window: 30 % of the cycle per pixel (the effect's default too). */
    static final double DEFAULT_WINDOW = 0.3;

    private final float window;

    /** @param window fraction of the cycle over which each pixel crossfades, in (0, 1] */
    Crossfade(double window) {
        this.window = (float) window;
    }

    /** Per moving pixel, the offset {@code (1 - window) / window * u} of its switch field u ([M, 1]), for {@link #backwardShare}. */
    NDArray offsets(NDArray u) {
        return u.mul((1f - window) / window);
    }

    /**
     * The backward splat's weight at loop phase {@code a = t / N} of the moving pixels with {@code offsets} ([M, 1]): with
     * s = window/2 + (1 - window) u, {@code g = clamp((a - s) / window + 1/2, 0, 1) = clamp(a / window - offset, 0, 1)}.
     */
    NDArray backwardShare(NDArray offsets, double a) {
        if (window >= 1f) {
            return offsets.getManager().full(offsets.getShape(), (float) a);
        }
        return offsets.neg().addi((float) (a / window)).clip(0f, 1f);
    }

    /**
     * The switch field u in [0, 1] (the switch time is {@code s = window/2 + (1 - window) u}) of pixels at {@code p}
     * ([M, 2] x, y) moving along {@code dir} ([M, 2] unit vectors) in a picture of {@code h x w}: [M, 1]. A thing's two
     * splats lie a cycle's displacement apart along its motion; its pixels switch at their own place's time, so u varies
     * mostly across the motion (a sinusoid half a picture side long) and only slowly along it (one two sides long, weaker):
     * both copies of a drifting thing switch at nearly the same time (it neither fades nor doubles while they trade
     * places), while things side by side across the motion, or far apart along it, switch at different times.
     */
    static NDArray switchField(NDArray p, NDArray dir, long h, long w) {
        float k = (float) (2 * Math.PI / Math.max(h, w));
        NDArray x = p.get(":, 0:1");
        NDArray y = p.get(":, 1:2");
        NDArray dx = dir.get(":, 0:1");
        NDArray dy = dir.get(":, 1:2");
        NDArray along = x.mul(dx).addi(y.mul(dy));
        NDArray across = y.mul(dx).subi(x.mul(dy));
        NDArray u = across.muli(2 * k).addi(0.5f).sin().muli(ACROSS).addi(along.muli(k / 2).addi(2.1f).sin().muli(1 - ACROSS));
        // u in [-1, 1], mostly within [-0.8, 0.8]: stretched to the whole range, clipped
        return u.muli(0.6f).addi(0.5f).clip(0f, 1f);
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

package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Positions of the moving pixels after n Euler steps {@code x_{k+1} = x_k + s M(x_k)} of a stationary velocity field M
 * (s = +1 or -1), computed in O(log n) field samples instead of n.
 *
 * <p>The rule, which makes a frame's positions a function of n alone (so a clip rendered in chunks equals one call, by
 * construction): write n = {@value #ANCHOR} q + r. The anchor map {@code Phi_{8q}} is composed from the binary digits of
 * q, lowest first, out of the maps {@code Phi_{8 * 2^i}}: {@code Phi_8} is 8 Euler steps, and {@code Phi_{8 * 2^(i+1)}
 * = Phi_{8 * 2^i} o Phi_{8 * 2^i}}, a composition being {@code p + D(p)} with D the map's displacement field sampled
 * bilinearly. Then r Euler steps follow. Composition is exact where the displacement is linear between grid points (a
 * uniform flow, or any flow at integer positions) and otherwise differs from stepping by the interpolation error of D,
 * largest at the edges of a moving region (measured in MotionBrushModelTest).
 */
final class EulerMaps {

    /** Euler steps between anchors. */
    static final int ANCHOR = 8;

    /** Holds the levels, which outlive a call when the maps are cached (see MotionBrushModel's cache). */
    private final NDManager store;
    private final Field flow;
    private final NDArray moving;
    private final NDArray home;
    private final float sign;
    /** Steps between anchors: {@link #ANCHOR}, or {@link Integer#MAX_VALUE} for plain stepping. */
    private final long anchor;
    /** Positions after 8 * 2^i steps. */
    private final List<NDArray> levelPositions = new ArrayList<>();
    /** Their displacement fields, padded (see {@link Field}). */
    private final List<Field> levels = new ArrayList<>();

    /**
     * @param store holds the levels (built on demand, kept for later calls)
     * @param flow the velocity field, padded
     * @param moving flat indices of the moving pixels, [M]
     * @param home their grid positions (x, y), [M, 2]
     * @param anchor steps between anchors ({@link #ANCHOR}; {@link Integer#MAX_VALUE}: plain stepping, for reference)
     */
    EulerMaps(NDManager store, Field flow, NDArray moving, NDArray home, float sign, int anchor) {
        this.anchor = anchor;
        this.store = store;
        this.flow = flow;
        this.moving = moving;
        this.home = home;
        this.sign = sign;
    }

    /** Positions after {@code n} steps (a new array, attached to {@code out}). */
    NDArray at(long n, NDManager out, RunControl control) {
        NDArray p = anchor(n / anchor, out, control);
        for (long k = 0; k < n % anchor; k++) {
            NDArray next = step(p);
            p.close();
            p = next;
        }
        return p;
    }

    /** Positions after {@code n + 1} steps, given {@code p}, those after {@code n} ({@code p} is kept; the result is on its manager). */
    NDArray next(NDArray p, long n, RunControl control) {
        return (n + 1) % anchor == 0 ? at(n + 1, p.getManager(), control) : step(p);
    }

    /** One Euler step from {@code p} (a new array). */
    NDArray step(NDArray p) {
        return ImageOps.stage(() -> {
            NDArray v = flow.sample(p);
            return sign > 0 ? p.add(v) : p.sub(v);
        }, p, flow.data(), home);
    }

    private NDArray anchor(long q, NDManager out, RunControl control) {
        NDArray p = null;
        for (int i = 0; q >> i != 0; i++) {
            if ((q >> i & 1) == 0) {
                continue;
            }
            level(i, control);
            control.checkpoint();
            if (p == null) {
                p = levelPositions.get(i).duplicate();
                p.attach(out);
            } else {
                NDArray cur = p;
                Field d = levels.get(i);
                p = ImageOps.stage(() -> cur.add(d.sample(cur)), cur, d.data(), home);
                cur.close();
            }
        }
        if (p == null) {
            p = home.duplicate();
            p.attach(out);
        }
        return p;
    }

    /** Builds the levels up to {@code i}. */
    private void level(int i, RunControl control) {
        while (levels.size() <= i) {
            NDArray p;
            if (levels.isEmpty()) {
                p = home.duplicate();
                p.attach(store);
                for (long k = 0; k < anchor; k++) {
                    NDArray next = step(p);
                    p.close();
                    p = next;
                }
            } else {
                NDArray prev = levelPositions.get(levels.size() - 1);
                Field d = levels.get(levels.size() - 1);
                p = ImageOps.stage(() -> prev.add(d.sample(prev)), prev, d.data(), home);
            }
            control.checkpoint();
            NDArray pos = p;
            levelPositions.add(pos);
            NDArray dense = ImageOps.stage(() -> {
                NDArray z = store.zeros(new Shape(flow.h() * flow.w(), 2));
                z.set(new NDIndex("{}", moving), pos.sub(home));
                return z;
            }, pos, home, moving);
            levels.add(Field.of(dense, flow.h(), flow.w()));
            dense.close();
        }
    }
}

package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * A per-pixel field ({@code [H * W, C]}) padded by one replicated column and row ({@code [(H + 1) * (W + 1), C]}), so the
 * four bilinear neighbours of any position clamped to the picture are inside it and {@link #sample} takes them in one
 * gather, without clamping each neighbour.
 */
record Field(NDArray data, long h, long w) {

    /** Pads {@code field} ([H * W, C]); the result is attached to the field's manager. */
    static Field of(NDArray field, long h, long w) {
        NDArray padded = ImageOps.stage(() -> {
            long c = field.getShape().get(1);
            NDArray g = field.reshape(h, w, c);
            g = NDArrays.concat(new NDList(g, g.get(":, -1:, :")), 1);
            g = NDArrays.concat(new NDList(g, g.get("-1:, :, :")), 0);
            return g.reshape((h + 1) * (w + 1), c);
        }, field);
        return new Field(padded, h, w);
    }

    /** Bilinear sample at positions {@code p} ([M, 2] x, y; clamped to the picture), [M, C]. */
    NDArray sample(NDArray p) {
        long c = data.getShape().get(1);
        long m = p.getShape().get(0);
        Bilinear b = Bilinear.of(p.get(":, 0:1").clip(0, w - 1), p.get(":, 1:2").clip(0, h - 1), null);
        NDArray base = b.y0().toType(DataType.INT64, false).muli(w + 1).addi(b.x0().toType(DataType.INT64, false));
        NDArray corners = base.add(p.getManager().create(new long[] {0, 1, w + 1, w + 2}).reshape(1, 4));
        NDArray v = data.get(corners.reshape(-1)).reshape(m, 4, c);
        return v.muli(b.weights()).sum(new int[] {1});
    }

    /**
     * The bilinear neighbourhood of {@code M} positions, shared by sampling (gather from the 4 neighbours) and splatting
     * (scatter to them): the top-left neighbour ({@code x0}, {@code y0}, [M, 1]) and the 4 weights in the order top-left,
     * top-right, bottom-left, bottom-right ([M, 4, 1]), scaled by {@code k} ([M, 1] per position; null: 1).
     */
    record Bilinear(NDArray x0, NDArray y0, NDArray weights) {

        static Bilinear of(NDArray x, NDArray y, NDArray k) {
            long m = x.getShape().get(0);
            NDArray x0 = x.floor();
            NDArray y0 = y.floor();
            NDArray fx = x.sub(x0);
            NDArray fy = y.sub(y0);
            NDArray wx = NDArrays.concat(new NDList(fx.neg().addi(1f), fx), 1).reshape(m, 1, 2);
            NDArray wy = NDArrays.concat(new NDList(fy.neg().addi(1f), fy), 1).reshape(m, 2, 1);
            return new Bilinear(x0, y0, (k == null ? wy : wy.mul(k.reshape(m, 1, 1))).mul(wx).reshape(m, 4, 1));
        }
    }
}

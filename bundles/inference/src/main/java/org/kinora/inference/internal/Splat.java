package org.kinora.inference.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Accumulating scatter for forward splatting. DJL's {@code scatter} and {@code put} overwrite duplicates, and its NDArray
 * API has no {@code index_add}; a sparse COO tensor built from the (duplicate) target indices sums its duplicates when
 * made dense, which is exactly a scatter-add, on the arrays' device.
 */
final class Splat {

    private Splat() {
    }

    /**
     * Sums the rows of {@code values} ({@code [K, C]}) into {@code rows} rows by {@code indices} ({@code INT64 [1, K]},
     * each in {@code [0, rows)}): {@code out[i] = sum of values[k] where indices[k] == i}; {@code [rows, C]}.
     */
    static NDArray accumulate(NDArray indices, NDArray values, long rows) {
        if (!(indices instanceof PtNDArray pi) || !(values instanceof PtNDArray pv)) {
            throw new IllegalStateException("splatting needs the PyTorch engine, got " + indices.getManager().getEngine().getEngineName());
        }
        Shape dense = new Shape(rows, values.getShape().get(1));
        try (PtNDArray coo = JniUtils.createSparseCoo(pi, pv, dense)) {
            PtNDArray out = coo.toDense();
            return out;
        }
    }
}

package org.kinora.inference.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/**
 * Several requests run as one model call: their inputs concatenated along dimension 0, and every output split back by
 * each request's rows. Tensors are row-major, so both are plain byte copies, {@link TensorType#BYTES} tensors included
 * (their length-prefixed elements are in row-major order too).
 */
final class MicroBatch {

    private MicroBatch() {
    }

    /**
     * The inputs of the batch, in declaration order: each request's input {@code i} concatenated along dimension 0.
     * A batch of one passes its inputs as they are.
     */
    static List<Tensor> inputs(List<Scheduled> batch) {
        Scheduled first = batch.get(0);
        if (batch.size() == 1) {
            return first.inputs;
        }
        List<Tensor> out = new ArrayList<>(first.inputs.size());
        for (int i = 0; i < first.inputs.size(); i++) {
            List<Tensor> parts = new ArrayList<>(batch.size());
            for (Scheduled s : batch) {
                parts.add(s.inputs.get(i));
            }
            out.add(concat(parts));
        }
        return out;
    }

    /** {@code parts} (same name, type and shape after dimension 0) as one tensor along dimension 0. */
    static Tensor concat(List<Tensor> parts) {
        Tensor first = parts.get(0);
        long rows = 0;
        long bytes = 0;
        for (Tensor t : parts) {
            rows += t.shape()[0];
            bytes += t.data().limit();
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("micro-batch of '" + first.name() + "' would hold " + bytes + " bytes, more than one buffer can");
        }
        ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor t : parts) {
            data.put(t.data().duplicate());
        }
        long[] shape = first.shape();
        shape[0] = rows;
        return new Tensor(first.name(), first.type(), shape, data.flip());
    }

    /**
     * Splits every output of a batched call by the requests' rows: request {@code k} gets rows {@code [r0+..+rk-1,
     * r0+..+rk)} of each output, as a copy of its own.
     *
     * @param rows each request's rows, in batch order
     * @throws InferenceException when an output does not have the batch's rows along dimension 0
     */
    static List<List<Tensor>> split(String modelId, List<Tensor> outputs, long[] rows) throws InferenceException {
        long total = Arrays.stream(rows).sum();
        List<List<Tensor>> perRequest = new ArrayList<>(rows.length);
        for (int k = 0; k < rows.length; k++) {
            perRequest.add(new ArrayList<>(outputs.size()));
        }
        for (Tensor t : outputs) {
            long[] shape = t.shape();
            if (shape.length == 0 || shape[0] != total) {
                throw new InferenceException("model '" + modelId + "' ran " + rows.length + " requests as one batch of "
                        + total + " rows, but its output '" + t.name() + "' has shape " + Arrays.toString(shape)
                        + "; a model with maxBatch > 1 must give dimension 0 = the input rows on every output");
            }
            List<Tensor> parts = split(t, rows);
            for (int k = 0; k < rows.length; k++) {
                perRequest.get(k).add(parts.get(k));
            }
        }
        return perRequest;
    }

    private static List<Tensor> split(Tensor t, long[] rows) {
        long[] shape = t.shape();
        long perRow = 1;
        for (int i = 1; i < shape.length; i++) {
            perRow *= shape[i];
        }
        ByteBuffer all = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        List<Tensor> out = new ArrayList<>(rows.length);
        int start = 0;
        for (long r : rows) {
            int end = t.type() == TensorType.BYTES ? skipStrings(all, start, r * perRow) : Math.toIntExact(start + r * perRow * t.type().bytes());
            ByteBuffer part = ByteBuffer.allocate(end - start).order(ByteOrder.LITTLE_ENDIAN);
            part.put(all.duplicate().limit(end).position(start)).flip();
            long[] s = shape.clone();
            s[0] = r;
            out.add(new Tensor(t.name(), t.type(), s, part));
            start = end;
        }
        return out;
    }

    /** The byte offset after {@code count} length-prefixed elements starting at {@code from} (validated by Tensor). */
    private static int skipStrings(ByteBuffer b, int from, long count) {
        int p = from;
        for (long i = 0; i < count; i++) {
            p += 4 + b.getInt(p);
        }
        return p;
    }
}

package org.kinora.inference.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kinora.inference.internal.SchedulerTestModels.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/** Concatenating and splitting along dimension 0, byte for byte. */
class MicroBatchTest {

    static Tensor fp32(String name, long[] shape, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return new Tensor(name, TensorType.FP32, shape, b.flip());
    }

    @Test
    void fixedSizeTensorsRoundTrip() throws Exception {
        Tensor a = fp32("t", new long[] {1, 2, 2}, 1, 2, 3, 4);
        Tensor b = fp32("t", new long[] {2, 2, 2}, 5, 6, 7, 8, 9, 10, 11, 12);
        Tensor all = MicroBatch.concat(List.of(a, b));
        assertArrayEquals(new long[] {3, 2, 2}, all.shape());
        assertArrayEquals(data(fp32("t", new long[] {3, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)), data(all));
        List<List<Tensor>> back = MicroBatch.split("m", List.of(all), new long[] {1, 2});
        assertArrayEquals(data(a), data(back.get(0).get(0)));
        assertArrayEquals(a.shape(), back.get(0).get(0).shape());
        assertArrayEquals(data(b), data(back.get(1).get(0)));
        assertArrayEquals(b.shape(), back.get(1).get(0).shape());
    }

    @Test
    void stringTensorsRoundTrip() throws Exception {
        Tensor a = Tensor.ofStrings("s", new long[] {2, 2}, List.of("a", "", "ccc", "dd"));
        Tensor b = Tensor.ofStrings("s", new long[] {1, 2}, List.of("ünï", "x"));
        Tensor all = MicroBatch.concat(List.of(a, b));
        assertArrayEquals(new long[] {3, 2}, all.shape());
        assertEquals(List.of("a", "", "ccc", "dd", "ünï", "x"), all.strings());
        List<List<Tensor>> back = MicroBatch.split("m", List.of(all), new long[] {2, 1});
        assertEquals(a.strings(), back.get(0).get(0).strings());
        assertEquals(List.of("ünï", "x"), back.get(1).get(0).strings());
        assertArrayEquals(new long[] {1, 2}, back.get(1).get(0).shape());
    }

    @Test
    void anOutputWithoutTheBatchRowsIsAClearError() {
        Tensor summary = fp32("summary", new long[] {1}, 7);
        InferenceException e = assertThrows(InferenceException.class, () -> MicroBatch.split("test-m", List.of(summary), new long[] {1, 2}));
        assertTrue(e.getMessage().contains("'test-m'") && e.getMessage().contains("'summary'") && e.getMessage().contains("3 rows"),
                e.getMessage());
    }
}

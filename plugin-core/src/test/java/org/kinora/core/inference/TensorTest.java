package org.kinora.core.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.kinora.core.media.VideoFrame;

class TensorTest {

    @Test
    void floatsGoInAndComeBackInOrder() {
        Tensor t = Tensor.ofFloats("x", new long[] {2, 2}, new float[] {1.5f, -2f, 0f, 3.25f});
        assertEquals(TensorType.FP32, t.type());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {1.5f, -2f, 0f, 3.25f}, t.floats());
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofFloats("x", new long[] {3}, new float[] {1f, 2f}));
        assertThrows(IllegalStateException.class, () -> Tensor.ofStrings("s", new long[] {1}, java.util.List.of("a")).floats());
    }

    @Test
    void sizeMustMatchShapeAndType() {
        Tensor t = new Tensor("frames", TensorType.UINT8, new long[] {2, 4, 5, 3}, ByteBuffer.allocate(120));
        assertEquals(120, t.elementCount());
        assertThrows(IllegalArgumentException.class, () -> new Tensor("x", TensorType.FP32, new long[] {2, 3}, ByteBuffer.allocate(6)));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("x", TensorType.FP32, new long[] {-1, 3}, ByteBuffer.allocate(12)));
    }

    @Test
    void shapeIsDefensivelyCopied() {
        long[] shape = {1, 2};
        Tensor t = new Tensor("x", TensorType.UINT8, shape, ByteBuffer.allocate(2));
        shape[0] = 9;
        t.shape()[1] = 9;
        assertEquals(2, t.elementCount());
    }

    @Test
    void framesMustHoldExactlyTheirPixels() {
        assertEquals(24, new VideoFrame(0, 4, 2, ByteBuffer.allocate(24)).byteCount());
        assertThrows(IllegalArgumentException.class, () -> new VideoFrame(0, 4, 2, ByteBuffer.allocate(23)));
        assertThrows(IllegalArgumentException.class, () -> new VideoFrame(0, 0, 2, ByteBuffer.allocate(0)));
    }
}

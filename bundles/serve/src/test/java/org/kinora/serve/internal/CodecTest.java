package org.kinora.serve.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;

/** JSON tensors: every type survives a write and a read bit for bit; bad data is refused with its tensor named. */
class CodecTest {

    private static Tensor roundTrip(Tensor t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InferJson.writeResponse(out, new InferJson.Response("m", "1", "id", List.of(t)));
        return InferJson.readResponse(new ByteArrayInputStream(out.toByteArray())).outputs().get(0);
    }

    private static Tensor random(TensorType type, int n, long seed) {
        byte[] b = new byte[n * type.bytes()];
        new Random(seed).nextBytes(b);
        return new Tensor("t", type, new long[] {n}, ByteBuffer.wrap(b));
    }

    @Test
    void everyHalfSurvivesAsANumber() {
        for (int h = 0; h < 65536; h++) {
            float f = Half.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(f))));
            } else {
                assertEquals((short) h, Half.fromFloat(f), "half " + Integer.toHexString(h));
            }
        }
        assertEquals(0x3c00, Half.fromFloat(1f));
        assertEquals(0x7c00, Half.fromFloat(70000f)); // overflow -> infinity
        assertEquals(0x3c00, Half.fromFloat(1.0004f)); // rounds to the nearest half
        assertEquals(0x0001, Half.fromFloat(0x1p-24f)); // smallest subnormal
    }

    @Test
    void numericTypesRoundTripBitForBit() throws IOException {
        ByteBuffer d = ByteBuffer.allocate(8 * 5000).order(ByteOrder.LITTLE_ENDIAN);
        Random rd = new Random(5);
        for (int i = 0; i < 5000; i++) {
            double v = Double.longBitsToDouble(rd.nextLong());
            d.putDouble(Double.isNaN(v) ? Double.NaN : v);
        }
        Tensor fp64 = new Tensor("d", TensorType.FP64, new long[] {5000}, d.flip());
        assertArrayEquals(Http.bytes(fp64), Http.bytes(roundTrip(fp64)));
        for (TensorType type : List.of(TensorType.UINT8, TensorType.INT8, TensorType.INT32, TensorType.INT64)) {
            Tensor t = random(type, 5000, type.ordinal());
            assertArrayEquals(Http.bytes(t), Http.bytes(roundTrip(t)), type.toString());
        }
        // floats: random bit patterns, NaNs made canonical (JSON has one NaN)
        ByteBuffer f = ByteBuffer.allocate(4 * 20000).order(ByteOrder.LITTLE_ENDIAN);
        Random r = new Random(7);
        for (int i = 0; i < 20000; i++) {
            float v = Float.intBitsToFloat(r.nextInt());
            f.putFloat(Float.isNaN(v) ? Float.NaN : v);
        }
        Tensor fp32 = new Tensor("f", TensorType.FP32, new long[] {100, 200}, f.flip());
        Tensor back = roundTrip(fp32);
        assertArrayEquals(Http.bytes(fp32), Http.bytes(back));
        assertArrayEquals(new long[] {100, 200}, back.shape());
        ByteBuffer h = ByteBuffer.allocate(2 * 30000).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 30000; i++) {
            short s = (short) r.nextInt();
            h.putShort(Float.isNaN(Half.toFloat(s)) ? (short) 0x7e00 : s);
        }
        Tensor fp16 = new Tensor("h", TensorType.FP16, new long[] {30000}, h.flip());
        assertArrayEquals(Http.bytes(fp16), Http.bytes(roundTrip(fp16)));
        Tensor bool = new Tensor("b", TensorType.BOOL, new long[] {3}, ByteBuffer.wrap(new byte[] {1, 0, 1}));
        assertArrayEquals(Http.bytes(bool), Http.bytes(roundTrip(bool)));
    }

    @Test
    void stringsRoundTrip() throws IOException {
        Tensor s = Tensor.ofStrings("text", new long[] {3}, List.of("a man kicks a ball", "", "Grüße, 世界 \"quoted\" \n"));
        assertEquals(s.strings(), roundTrip(s).strings());
    }

    private static InferJson.Request request(String json) throws IOException {
        return InferJson.readRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void nestedAndFlatDataAreTheSameAndFieldOrderDoesNotMatter() throws IOException {
        Tensor flat = request("{\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"INT32\",\"data\":[1,2,3,4,5,6]}]}").inputs().get(0);
        Tensor nested = request("{\"inputs\":[{\"name\":\"x\",\"shape\":[2,3],\"datatype\":\"INT32\",\"data\":[[1,2,3],[4,5,6]]}]}").inputs().get(0);
        Tensor dataFirst = request("{\"inputs\":[{\"data\":[[1,2,3],[4,5,6]],\"name\":\"x\",\"datatype\":\"INT32\",\"shape\":[2,3]}]}").inputs().get(0);
        assertArrayEquals(Http.bytes(flat), Http.bytes(nested));
        assertArrayEquals(Http.bytes(flat), Http.bytes(dataFirst));
        assertEquals(6, flat.data().getInt(4 * 5));
        InferJson.Request r = request("{\"id\":\"r1\",\"parameters\":{\"strength\":0.5,\"n\":3,\"on\":true,\"s\":\"x\"},"
                + "\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[NaN]}],\"outputs\":[{\"name\":\"y\"}]}");
        assertEquals("r1", r.id());
        assertEquals(Map.of("strength", 0.5, "n", 3L, "on", true, "s", "x"), r.parameters());
        assertEquals(List.of(new InferJson.Output("y", null)), r.outputs());
        assertTrue(Float.isNaN(r.inputs().get(0).data().getFloat(0)));
    }

    @Test
    void badDataIsRefusedNamingTheTensor() {
        String[][] cases = {
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"UINT8\",\"data\":[1,2,3]}]}", "'x'", "needs 4 elements"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"UINT8\",\"data\":[1,2,3]}]}", "'x'", "holds more"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"UINT8\",\"data\":[1,256]}]}", "element 1", "[0, 255]"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"INT32\",\"data\":[1,2.5]}]}", "element 1", "integer"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[\"a\"]}]}", "element 0", "a number"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[1]}]}", "element 0", "a string"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FLOAT\",\"data\":[1]}]}", "'x'", "unknown tensor datatype"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[-1],\"datatype\":\"FP32\",\"data\":[1]}]}", "'x'", "non-negative"},
            {"{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]}]}", "'x'", "no \"shape\""},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[[[1]],[[2]]]}]}", "'x'", "nested deeper"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1],\"parameters\":{\"binary_data_size\":4}}]}", "'x'", "binary"},
            {"{\"parameters\":{\"a\":[1]},\"inputs\":[]}", "parameter 'a'", "number, string or boolean"},
            {"{\"id\":\"x\"}", "no \"inputs\"", ""},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> request(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains(c[2]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void aHugeShapeWithLittleDataAllocatesLittle() {
        // 2^40 elements claimed: refused as too large before anything is allocated
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> request("{\"inputs\":[{\"name\":\"x\",\"shape\":[1048576,1048576],\"datatype\":\"UINT8\",\"data\":[1]}]}"));
        assertTrue(e.getMessage().contains("larger than 2 GiB"), e.getMessage());
        // 1 Gi elements claimed, two sent: fails on the count with a buffer that never grew past its first chunk
        long before = usedHeap();
        e = assertThrows(IllegalArgumentException.class,
                () -> request("{\"inputs\":[{\"name\":\"x\",\"shape\":[1073741824],\"datatype\":\"UINT8\",\"data\":[1,2]}]}"));
        assertTrue(e.getMessage().contains("needs 1073741824 elements, its data holds 2"), e.getMessage());
        assertTrue(usedHeap() - before < 256L << 20, "no gigabyte buffer");
    }

    @Test
    void binaryRequestsRoundTripEveryTypeAndAHugeClaimAllocatesLittle() throws IOException {
        List<Tensor> inputs = List.of(random(TensorType.UINT8, 1000, 1), random(TensorType.FP16, 700, 2), random(TensorType.FP32, 300, 3),
                random(TensorType.INT64, 20, 4), random(TensorType.BOOL, 0, 5),
                Tensor.ofStrings("s", new long[] {3}, List.of("", "ä", "long ".repeat(100))));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        InferJson.writeRequest(head, new InferJson.Request("r", Map.of("binary_data_output", true), inputs,
                List.of(new InferJson.Output("y", false))), true);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        head.writeTo(body);
        for (Tensor t : inputs) {
            BinaryTensors.write(body, t);
        }
        byte[] b = body.toByteArray();
        InferJson.Request r = InferJson.readRequest(new ByteArrayInputStream(b), head.size(), b.length - head.size(), Long.MAX_VALUE);
        assertEquals("r", r.id());
        assertEquals(Map.of("binary_data_output", true), r.parameters());
        assertEquals(List.of(new InferJson.Output("y", false)), r.outputs());
        for (int i = 0; i < inputs.size(); i++) {
            assertArrayEquals(inputs.get(i).shape(), r.inputs().get(i).shape());
            assertArrayEquals(Http.bytes(inputs.get(i)), Http.bytes(r.inputs().get(i)), inputs.get(i).toString());
        }
        // a length not known up front (chunked) reads the same
        r = InferJson.readRequest(new ByteArrayInputStream(b), head.size(), -1, Long.MAX_VALUE);
        assertArrayEquals(Http.bytes(inputs.get(5)), Http.bytes(r.inputs().get(5)));

        // 1.5 GB announced, a few bytes sent: fails on the missing bytes with a buffer no larger than the first chunk
        String json = "{\"inputs\":[{\"name\":\"x\",\"shape\":[500000000,3],\"datatype\":\"UINT8\",\"parameters\":{\"binary_data_size\":1500000000}}]}";
        byte[] small = (json + "abc").getBytes(StandardCharsets.UTF_8);
        long before = usedHeap();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InferJson.readRequest(new ByteArrayInputStream(small), json.length(), -1, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("input tensor 'x': the body ends after 3 of its 1500000000 bytes"), e.getMessage());
        assertTrue(usedHeap() - before < 256L << 20, "no gigabyte buffer");
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}

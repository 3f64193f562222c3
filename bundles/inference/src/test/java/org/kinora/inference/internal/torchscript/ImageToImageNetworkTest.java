package org.kinora.inference.internal.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InvalidInferenceRequestException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.Djl;
import org.kinora.inference.internal.LoadedModel;
import org.kinora.inference.internal.Model;
import org.kinora.inference.internal.RunControl;

/**
 * Style networks behind the style contract (frames UINT8 in and out, strength, tiling), with real TorchScript archives
 * run by DJL's PyTorch engine: a 9x9 box blur that takes any size, the same blur refusing anything but 64x64 (as a network
 * exported at a fixed size does), and 255 - x.
 */
class ImageToImageNetworkTest {

    @TempDir
    Path folder;

    private Model open(String file, String processing, long h, long w) throws IOException, InferenceException {
        Path pt = folder.resolve(file);
        if (!Files.exists(pt)) {
            try (InputStream in = getClass().getResourceAsStream("/torchscript/" + file)) {
                Files.copy(in, pt);
            }
        }
        ModelCard card = new ModelCard("net-" + file, "image-to-image", "torchscript", "a test network",
                List.of(new ModelFile(file, "0".repeat(64), Files.size(pt))),
                List.of(new TensorSpec("x", TensorType.FP32, new long[] {-1, 3, h, w})),
                List.of(new TensorSpec("y", TensorType.FP32, new long[] {-1, 3, h, w})), processing, "GPL-3.0-or-later", null, null, null, 0);
        return new TorchScriptFormat().open(card, folder);
    }

    /** Smooth gradients plus noise and a sharp square, so that both seams and blur show. */
    private static Tensor frames(int n, int h, int w) {
        Random r = new Random(7);
        ByteBuffer b = ByteBuffer.allocate(n * h * w * 3);
        for (int f = 0; f < n; f++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean square = x > w / 3 && x < w / 2 && y > h / 4 && y < h / 2;
                    for (int c = 0; c < 3; c++) {
                        int v = square ? 240 : (x * 180 / w + y * 60 / h + c * 20 + f * 5 + r.nextInt(40)) % 256;
                        b.put((byte) v);
                    }
                }
            }
        }
        return new Tensor("frames", TensorType.UINT8, new long[] {n, h, w, 3}, b.flip());
    }

    private static byte[] run(Model model, Tensor in, Map<String, Object> parameters) throws Exception {
        LoadedModel loaded = Djl.call(() -> model.load(Device.cpu()));
        try {
            List<Tensor> out = Djl.call(() -> loaded.call(null, List.of(in), parameters, RunControl.NONE));
            Tensor t = out.get(0);
            assertEquals("frames", t.name());
            assertEquals(TensorType.UINT8, t.type());
            assertArrayEquals(in.shape(), t.shape());
            byte[] bytes = new byte[t.data().remaining()];
            t.data().duplicate().get(bytes);
            return bytes;
        } finally {
            Djl.call(() -> {
                loaded.close();
                return null;
            });
        }
    }

    private static byte[] bytes(Tensor t) {
        byte[] b = new byte[t.data().remaining()];
        t.data().duplicate().get(b);
        return b;
    }

    private static int maxDiff(byte[] a, byte[] b) {
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xff) - (b[i] & 0xff)));
        }
        return max;
    }

    private static double meanDiff(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
        }
        return sum / (double) a.length;
    }

    @Test
    void theServiceSeesTheStyleContractNotTheNetworksTensors() throws Exception {
        Model m = open("blur9.pt", "image-to-image", -1, -1);
        assertEquals("image-to-image", m.info().task());
        assertEquals("frames", m.info().inputs().get(0).name());
        assertEquals(TensorType.UINT8, m.info().inputs().get(0).type());
        assertArrayEquals(new long[] {-1, -1, -1, 3}, m.info().outputs().get(0).shape());
        assertTrue(m.maxBatch() > 1, "frames of one size are batched through the network");
    }

    @Test
    void pixelsReachTheNetworkInItsRangeAndComeBack() throws Exception {
        Tensor in = frames(2, 37, 53);
        byte[] src = bytes(in);
        byte[] out = run(open("invert255.pt", "image-to-image", -1, -1), in, Map.of());
        for (int i = 0; i < src.length; i++) {
            assertEquals(255 - (src[i] & 0xff), out[i] & 0xff, 1, "255 - x at byte " + i);
        }
        // the same network read as a 0..1 one gets 255 - u for u in 0..1: everything saturates to white
        byte[] unit = run(open("invert255.pt", "image-to-image-unit", -1, -1), in, Map.of());
        for (byte v : unit) {
            assertEquals(255, v & 0xff);
        }
    }

    @Test
    void strengthBlendsWithTheSourceAndZeroIsTheSourceExactly() throws Exception {
        Model m = open("invert255.pt", "image-to-image", -1, -1);
        Tensor in = frames(1, 20, 30);
        byte[] src = bytes(in);
        assertArrayEquals(src, run(m, in, Map.of("strength", 0.0)));
        byte[] half = run(m, in, Map.of("strength", 0.5));
        for (int i = 0; i < src.length; i++) {
            assertEquals(127.5, half[i] & 0xff, 1.0, "half way between x and 255 - x at byte " + i);
        }
    }

    @Test
    void tiledFramesMatchTheWholeFrameWithoutSeams() throws Exception {
        Model m = open("blur9.pt", "image-to-image", -1, -1);
        // a multiple of 8 (the alignment the whole frame would otherwise be padded to), not of the tile
        Tensor in = frames(2, 152, 232);
        byte[] whole = run(m, in, Map.of());
        byte[] tiled = run(m, in, Map.of("tile", 64));
        // the blur reaches 4 px; the dropped margin next to a tile's inner edge is at least 4 px, so tiling changes
        // nothing but float rounding
        assertTrue(maxDiff(whole, tiled) <= 1, "tiled vs whole frame: max difference " + maxDiff(whole, tiled));
        assertTrue(meanDiff(whole, bytes(in)) > 5, "the blur really changed the picture: " + meanDiff(whole, bytes(in)));
    }

    @Test
    void aNetworkOfOneSizeGetsExactlyThatSizeAndTheFrameComesBackWhole() throws Exception {
        Model fixed = open("blur9-64.pt", "image-to-image", 64, 64);
        Model fixedWrong = open("blur9-64.pt", "image-to-image", -1, -1);
        Model any = open("blur9.pt", "image-to-image", -1, -1);
        // a frame not a multiple of the tile, and one smaller than it
        for (int[] size : new int[][] {{152, 232}, {40, 50}}) {
            Tensor in = frames(1, size[0], size[1]);
            byte[] want = run(any, in, Map.of());
            byte[] got = run(fixed, in, Map.of());
            if (size[0] >= 64) {
                assertTrue(maxDiff(want, got) <= 1, size[0] + "x" + size[1] + ": max difference " + maxDiff(want, got));
            } else {
                // a frame smaller than the network's size is padded with its border: the blur sees those pixels near
                // the bottom and right edges, nowhere else
                assertTrue(meanDiff(want, got) < 3, "small frame: mean difference " + meanDiff(want, got));
            }
        }
        // the card's declared size is what makes tiling happen: without it the network refuses the frame, and the
        // error names the model
        InferenceException e = assertThrows(InferenceException.class, () -> run(fixedWrong, frames(1, 100, 100), Map.of()));
        assertTrue(e.getMessage().contains("net-blur9-64.pt"), e.getMessage());
    }

    @Test
    void badParametersAreRefusedByName() throws Exception {
        Model m = open("blur9.pt", "image-to-image", -1, -1);
        Tensor in = frames(1, 16, 16);
        InvalidInferenceRequestException tile = assertThrows(InvalidInferenceRequestException.class, () -> run(m, in, Map.of("tile", 3)));
        assertTrue(tile.getMessage().contains("'tile'"), tile.getMessage());
        InvalidInferenceRequestException strength = assertThrows(InvalidInferenceRequestException.class,
                () -> run(m, in, Map.of("strength", 2)));
        assertTrue(strength.getMessage().contains("'strength'"), strength.getMessage());
        InvalidInferenceRequestException other = assertThrows(InvalidInferenceRequestException.class,
                () -> run(m, in, Map.of("sharpness", 1)));
        assertTrue(other.getMessage().contains("'sharpness'"), other.getMessage());
    }
}

package org.kinora.inference.internal.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.Djl;
import org.kinora.inference.internal.LoadedModel;
import org.kinora.inference.internal.Model;
import org.kinora.inference.internal.RunControl;

/**
 * A style network as ONNX (src/test/resources/onnx/make_onnx.py: a 9x9 average pool, any size or 64x64 only) on DJL's
 * ONNX Runtime engine behind the style contract: the card's tensors are what ONNX Runtime reads from the file, the
 * pixels cross from the service's PyTorch arrays to ONNX Runtime and back, and a fixed-size graph is tiled.
 */
class OnnxStyleNetworkTest {

    @TempDir
    Path folder;

    private Model open(String file) throws Exception {
        Path onnx = folder.resolve(file);
        try (InputStream in = getClass().getResourceAsStream("/onnx/" + file)) {
            Files.copy(in, onnx);
        }
        OnnxSignature sig = OnnxSignature.read(onnx);
        ModelCard card = new ModelCard("style-" + file, "image-to-image", "onnx", "a test style network",
                List.of(new ModelFile(file, "0".repeat(64), Files.size(onnx))), sig.inputs(), sig.outputs(), "image-to-image",
                "GPL-3.0-or-later", null, null, null, 0);
        return new OnnxFormat().open(card, folder);
    }

    private static Tensor frame(int h, int w) {
        ByteBuffer b = ByteBuffer.allocate(h * w * 3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean square = x > w / 3 && x < w / 2 && y > h / 4 && y < h / 2;
                for (int c = 0; c < 3; c++) {
                    b.put((byte) (square ? 250 : ((x * 7 + y * 13 + c * 50) % 200)));
                }
            }
        }
        return new Tensor("frames", TensorType.UINT8, new long[] {1, h, w, 3}, b.flip());
    }

    private static byte[] run(Model m, Tensor in) throws Exception {
        LoadedModel loaded = Djl.call(() -> m.load(Device.cpu()));
        try {
            Tensor t = Djl.call(() -> loaded.call(null, List.of(in), Map.of(), RunControl.NONE)).get(0);
            assertArrayEquals(in.shape(), t.shape());
            byte[] out = new byte[t.data().remaining()];
            t.data().duplicate().get(out);
            return out;
        } finally {
            Djl.call(() -> {
                loaded.close();
                return null;
            });
        }
    }

    @Test
    void aFixedSizeOnnxGraphIsTiledToTheSameResultAsAnyOther() throws Exception {
        Model any = open("blur9.onnx");
        Model fixed = open("blur9-64.onnx");
        assertEquals("frames", fixed.info().inputs().get(0).name());
        Tensor in = frame(152, 200);
        byte[] whole = run(any, in);
        byte[] tiled = run(fixed, in);
        int max = 0;
        long changed = 0;
        byte[] src = new byte[in.data().remaining()];
        in.data().duplicate().get(src);
        for (int i = 0; i < whole.length; i++) {
            max = Math.max(max, Math.abs((whole[i] & 0xff) - (tiled[i] & 0xff)));
            changed += Math.abs((whole[i] & 0xff) - (src[i] & 0xff));
        }
        assertTrue(max <= 1, "64x64 tiles vs the whole frame: max difference " + max);
        assertTrue(changed / (double) whole.length > 5, "the graph really blurred: mean change " + changed / (double) whole.length);
    }
}

package org.kinora.inference.internal.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.inference.InferenceException;
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
 * Real TorchScript archives (written by src/test/resources/torchscript/make_torchscript.py, no torch needed) loaded and
 * run by DJL's PyTorch engine through TorchScriptFormat.
 */
class TorchScriptFormatTest {

    @TempDir
    Path folder;

    private Path fixture(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/torchscript/" + name)) {
            Path p = folder.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    private static ModelCard card(String id, Path pt, String processing) throws IOException {
        return new ModelCard(id, "tensor-op", "torchscript", "a test module", List.of(new ModelFile(pt.getFileName().toString(),
                "0".repeat(64), Files.size(pt))),
                List.of(new TensorSpec("x", TensorType.FP32, new long[] {-1, -1})),
                List.of(new TensorSpec("y", TensorType.FP32, new long[] {-1, -1})), processing, "GPL-3.0-or-later", null, null, null, 0);
    }

    private static float[] run(Model model, float[] x, long[] shape) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(x);
        Tensor in = new Tensor("x", TensorType.FP32, shape, b);
        LoadedModel loaded = Djl.call(() -> model.load(Device.cpu()));
        try {
            List<Tensor> out = Djl.call(() -> loaded.call(null, List.of(in), Map.of(), RunControl.NONE));
            assertEquals(1, out.size());
            Tensor y = out.get(0);
            assertEquals("y", y.name());
            assertEquals(TensorType.FP32, y.type());
            assertArrayEquals(shape, y.shape());
            float[] values = new float[x.length];
            y.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        } finally {
            Djl.call(() -> {
                loaded.close();
                return null;
            });
        }
    }

    @Test
    void anAffineModuleComputesTwoXPlusOne() throws Exception {
        Path pt = fixture("affine.pt");
        Model model = new TorchScriptFormat().open(card("affine", pt, "none"), folder);
        float[] x = {-1.5f, 0f, 0.25f, 3f, 10f, -7f};
        float[] y = run(model, x, new long[] {2, 3});
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] * 2 + 1, y[i], 0f, "y[" + i + "]");
        }
    }

    @Test
    void aSigmoidModuleComputesTheLogistic() throws Exception {
        Path pt = fixture("sigmoid.pt");
        Model model = new TorchScriptFormat().open(card("sigmoid", pt, "none"), folder);
        float[] x = {-4f, -1f, 0f, 0.5f, 2f, 8f};
        float[] y = run(model, x, new long[] {3, 2});
        for (int i = 0; i < x.length; i++) {
            assertEquals(1 / (1 + Math.exp(-x[i])), y[i], 1e-6, "y[" + i + "]");
        }
    }

    @Test
    void aBrokenFileFailsWithTheFileNamed() throws Exception {
        Path pt = folder.resolve("broken.pt");
        Files.writeString(pt, "not a zip");
        Model model = new TorchScriptFormat().open(card("broken", pt, "none"), folder);
        InferenceException e = assertThrows(InferenceException.class, () -> Djl.call(() -> model.load(Device.cpu())));
        assertTrue(e.getMessage().contains("broken.pt") && e.getMessage().contains("cannot load"), e.getMessage());
    }

    @Test
    void onlyRawProcessingIsOffered() throws Exception {
        Path pt = fixture("affine.pt");
        InferenceException e = assertThrows(InferenceException.class,
                () -> new TorchScriptFormat().open(card("affine", pt, "movenet"), folder));
        assertTrue(e.getMessage().contains("no processing 'movenet'"), e.getMessage());
    }
}

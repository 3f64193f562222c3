package org.kinora.cli.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.kinora.core.KinoraException;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectId;

/** The effect services currently registered, by their {@code kinora.effect.id} property. */
public final class EffectRegistry {

    private final Map<String, Effect> effects = new ConcurrentSkipListMap<>();

    /** Adds an effect service with its service properties. */
    public void add(Effect effect, Map<String, ?> properties) {
        effects.put(idOf(effect, properties), effect);
    }

    /** Removes an effect service. */
    public void remove(Effect effect, Map<String, ?> properties) {
        effects.remove(idOf(effect, properties), effect);
    }

    private static String idOf(Effect effect, Map<String, ?> properties) {
        Object id = properties.get(EffectId.PROPERTY);
        return id != null ? id.toString() : effect.info().id();
    }

    /** All effects, sorted by id. */
    public List<Effect> all() {
        return List.copyOf(effects.values());
    }

    /** The effect with that id. */
    public Optional<Effect> find(String id) {
        return Optional.ofNullable(effects.get(id));
    }

    /**
     * The effect with that id.
     *
     * @throws KinoraException naming the id and listing the known ones
     */
    public Effect require(String id) throws KinoraException {
        Effect e = effects.get(id);
        if (e == null) {
            throw new KinoraException("unknown effect '" + id + "' (effects: "
                    + (effects.isEmpty() ? "none installed" : String.join(", ", effects.keySet())) + ")");
        }
        return e;
    }
}

package org.kinora.cli.internal.panel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.kinora.cli.internal.EffectRegistry;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.Effect;
import org.kinora.core.param.InvalidParameterException;
import org.kinora.core.param.ParameterSpec;
import org.kinora.core.param.ParameterValues;

/**
 * The effects' forms: their parameter declarations as JSON (the one source the command line's options are made from
 * too), and a form's values checked as {@code --set} is.
 */
final class EffectForms {

    private EffectForms() {
    }

    /** The effects and their parameter declarations, as the panel builds its forms from them. */
    static List<Object> json(EffectRegistry effects) {
        List<Object> out = new ArrayList<>();
        for (Effect e : effects.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.info().id());
            m.put("title", e.info().title());
            m.put("description", e.info().description());
            m.put("input", e.info().input().name().toLowerCase(Locale.ROOT));
            List<Object> params = new ArrayList<>();
            for (ParameterSpec s : e.info().parameters()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", s.name());
                pm.put("type", s.type().name().toLowerCase(Locale.ROOT));
                pm.put("default", s.defaultValue());
                pm.put("min", s.min());
                pm.put("max", s.max());
                pm.put("choices", s.choices());
                pm.put("range", s.rangeText());
                pm.put("help", s.help());
                params.add(pm);
            }
            m.put("parameters", params);
            out.add(m);
        }
        return out;
    }

    /**
     * Checks a form as the command line checks {@code --set}: every value against its declaration (all errors at
     * once, by parameter), then the effect's own checks.
     */
    static Map<String, Object> validate(Effect effect, Map<String, String> raw) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (String name : raw.keySet()) {
            Optional<ParameterSpec> spec = effect.info().parameter(name);
            if (spec.isEmpty()) {
                errors.put(name, "unknown parameter '" + name + "'");
                continue;
            }
            try {
                spec.get().parse(raw.get(name));
            } catch (InvalidParameterException e) {
                errors.put(name, e.getMessage());
            }
        }
        String error = null;
        if (errors.isEmpty()) {
            try {
                effect.check(ParameterValues.resolve(effect.info().parameters(), raw));
            } catch (InvalidParameterException e) {
                errors.put(e.parameter(), e.getMessage());
            } catch (KinoraException e) {
                error = e.getMessage();
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", errors.isEmpty() && error == null);
        m.put("errors", errors);
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }
}

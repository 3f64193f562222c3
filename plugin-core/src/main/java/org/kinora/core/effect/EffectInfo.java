package org.kinora.core.effect;

import java.util.List;
import java.util.Optional;

import org.kinora.core.param.ParameterSpec;

/**
 * What an effect is and what it takes.
 *
 * @param id          the id users type, e.g. {@code style-transfer}
 * @param title       a short human name
 * @param description one or two sentences of help, naming the algorithm or model used
 * @param input       what it takes from the timeline
 * @param parameters  its declared parameters
 */
public record EffectInfo(String id, String title, String description, InputKind input, List<ParameterSpec> parameters) {
    public EffectInfo {
        parameters = List.copyOf(parameters);
    }

    /** The declared parameter of that name. */
    public Optional<ParameterSpec> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}

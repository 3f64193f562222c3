package org.kinora.effect.styletransfer.internal;

import java.util.List;
import java.util.Locale;
import org.kinora.core.effect.EffectException;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;

/** Which inference model a {@code style} value names: a built-in style, or a style network from the models folder. */
final class StyleModels {

    static final String TASK = "image-to-image";

    private StyleModels() {
    }

    /**
     * The model id for {@code style}: {@code style-NAME} for a built-in, else the id of an image-to-image model the
     * service has.
     *
     * @throws EffectException naming the style and every style there is, when none matches
     */
    static String resolve(InferenceService inference, String style) throws EffectException {
        String s = style == null ? "" : style.trim();
        if (StyleTransferEffect.STYLES.contains(s.toLowerCase(Locale.ROOT))) {
            return "style-" + s.toLowerCase(Locale.ROOT);
        }
        List<ModelInfo> models = inference.models();
        for (ModelInfo m : models) {
            if (m.id().equals(s) && TASK.equals(m.task())) {
                return m.id();
            }
        }
        for (ModelInfo m : models) {
            if (m.id().equals(s)) {
                throw new EffectException(StyleTransferEffect.ID + ": model '" + s + "' is a " + m.task()
                        + " model, not a style (image-to-image) one; styles: " + String.join(", ", names(models)));
            }
        }
        throw new EffectException(StyleTransferEffect.ID + ": unknown style '" + s + "' (styles: " + String.join(", ", names(models))
                + "; add your own style network with `kinora models add ID FILE --task image-to-image`)");
    }

    /** The built-in styles, then the style networks in the models folder. */
    static List<String> names(List<ModelInfo> models) {
        java.util.List<String> names = new java.util.ArrayList<>(StyleTransferEffect.STYLES);
        for (ModelInfo m : models) {
            if (TASK.equals(m.task()) && !(m.id().startsWith("style-") && StyleTransferEffect.STYLES.contains(m.id().substring(6)))) {
                names.add(m.id());
            }
        }
        return names;
    }
}

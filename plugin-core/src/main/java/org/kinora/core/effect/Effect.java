package org.kinora.core.effect;

/**
 * An AI effect. Implementations are OSGi services (Declarative Services components) carrying the
 * {@code kinora.effect.id} property (see {@link EffectId}), so hosts find them by filter.
 */
public interface Effect {

    /** What the effect is and which parameters it declares. */
    EffectInfo info();

    /**
     * Checks parameter values beyond what their declaration can say (a style that must name a model the inference
     * service has, say), before anything is written; hosts call it before {@link #render}. The default accepts all.
     *
     * @param parameters values already resolved against {@link EffectInfo#parameters()}
     * @throws EffectException naming the parameter and what is wrong with it
     * @since 1.1
     */
    default void check(org.kinora.core.param.ParameterValues parameters) throws EffectException {
    }

    /**
     * Renders {@code context.frameCount()} frames into {@code context.output()}, reporting progress per frame or batch.
     * When {@code context.job().isCancelled()} turns true it stops and returns normally.
     *
     * @throws EffectException when the effect cannot produce its result; media and inference failures are wrapped
     * @throws InterruptedException when the thread is interrupted
     */
    void render(EffectContext context) throws EffectException, InterruptedException;
}

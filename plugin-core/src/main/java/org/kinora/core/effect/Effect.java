package org.kinora.core.effect;

/**
 * An AI effect. Implementations are OSGi services (Declarative Services components) carrying the
 * {@code kinora.effect.id} property (see {@link EffectId}), so hosts find them by filter.
 */
public interface Effect {

    /** What the effect is and which parameters it declares. */
    EffectInfo info();

    /**
     * Renders {@code context.frameCount()} frames into {@code context.output()}, reporting progress per frame or batch.
     * When {@code context.job().isCancelled()} turns true it stops and returns normally.
     *
     * @throws EffectException when the effect cannot produce its result; media and inference failures are wrapped
     * @throws InterruptedException when the thread is interrupted
     */
    void render(EffectContext context) throws EffectException, InterruptedException;
}

package org.kinora.core.inference;

/** Receives scheduler events. Called on the scheduler's threads: return quickly and never block. */
@FunctionalInterface
public interface InferenceListener {
    void onEvent(InferenceEvent event);
}

package org.kinora.inference.internal;

import ai.djl.Device;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.ModelInfo;

/**
 * A model the service can run: built-in algorithms, and networks opened from the model store by a {@link ModelFormat}.
 * A model is cheap to hold; {@link #load} makes it resident on a device (weights in device memory), and the scheduler
 * decides when, keeping the resident models of a device under its memory budget (least recently used unloaded first).
 */
public interface Model {

    /** The model id, e.g. {@code style-cartoon}. */
    default String id() {
        return info().id();
    }

    /** What the model is and what it takes. */
    ModelInfo info();

    /** Estimated device memory while resident (weights plus the working memory of one call), in bytes. */
    default long memoryBytes() {
        return 0;
    }

    /**
     * The most requests the scheduler may run together as one micro-batch, concatenated along dimension 0 of every
     * input and split the same way from every output. 1 means never batch (the default).
     */
    default int maxBatch() {
        return 1;
    }

    /**
     * Makes the model resident on {@code device}. Called on the device's worker thread with DJL's class loader set.
     *
     * @throws InferenceException when the files cannot be loaded; the message names the model and the file
     */
    LoadedModel load(Device device) throws InferenceException;
}

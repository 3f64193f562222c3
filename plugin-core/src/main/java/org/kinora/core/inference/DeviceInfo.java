package org.kinora.core.inference;

/**
 * A compute device as the engine reports it.
 *
 * @param id      the engine's name for it, e.g. {@code cpu()} or {@code gpu(0)}
 * @param kind    {@code cpu} or {@code gpu}
 * @param active  whether the service runs work on it
 */
public record DeviceInfo(String id, String kind, boolean active) {
}

package org.kinora.core.inference;

/**
 * One file of a model.
 *
 * @param path   path relative to the model's folder, '/' separated, never leaving it
 * @param sha256 lower-case hex SHA-256 of the content
 * @param bytes  the size in bytes
 */
public record ModelFile(String path, String sha256, long bytes) {
}

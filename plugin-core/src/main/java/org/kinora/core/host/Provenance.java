package org.kinora.core.host;

/**
 * What made a result, recorded in the project as {@code kinora:*} properties.
 *
 * @param effectId   the effect's id, e.g. {@code style-transfer}
 * @param jobId      the job that rendered it
 * @param paramsJson the resolved parameters as a JSON object
 */
public record Provenance(String effectId, String jobId, String paramsJson) {
}

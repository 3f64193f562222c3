package org.kinora.cli.internal.apply;

import java.nio.file.Path;
import java.util.Map;

import org.kinora.core.host.PlacementMode;
import org.kinora.core.media.VideoCodec;

/**
 * What the user asked {@code kinora apply} to do.
 *
 * @param project  the project file
 * @param clipRef  {@code TRACK:N} or a producer id
 * @param effectId the effect
 * @param params   parameter text by name
 * @param mode     replace or overlay
 * @param out      where to write the project; {@code null} for in place (with a backup)
 * @param codec    codec of the result media
 */
public record ApplyRequest(Path project, String clipRef, String effectId, Map<String, String> params, PlacementMode mode, Path out,
        VideoCodec codec) {
    public ApplyRequest {
        params = Map.copyOf(params);
    }
}

package org.kinora.cli.internal.apply;

import java.nio.file.Path;
import java.util.Map;

import org.kinora.core.media.VideoCodec;

/**
 * What the user asked {@code kinora generate} to do.
 *
 * @param project  the project file
 * @param effectId the generating effect (an {@link org.kinora.core.effect.InputKind#NONE} effect), normally {@code generate}
 * @param options  the generator's options the user gave, by parameter name ({@code prompt}, {@code negative},
 *                 {@code seed}, {@code steps}, {@code guidance}, {@code sampler}, {@code anchor}) as typed; options not
 *                 given are absent, so the effect's defaults apply
 * @param at       where on the timeline the media starts, as typed after {@code --at}; {@code null} for the start
 * @param duration seconds of media, as typed after {@code --duration}; {@code null} for the effect's default
 * @param out      where to write the project; {@code null} for in place (with a backup)
 * @param codec    codec of the generated media
 */
public record GenerateRequest(Path project, String effectId, Map<String, String> options, String at, String duration, Path out,
        VideoCodec codec) {
    public GenerateRequest {
        options = Map.copyOf(options);
    }
}

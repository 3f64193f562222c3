package org.kinora.cli.internal.command;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options naming a project, one of its clips, an effect and the effect's parameters (apply, preview). */
public final class ClipEffectOptions {

    @Parameters(index = "0", paramLabel = "PROJECT", description = "The Shotcut .mlt or Kdenlive .kdenlive project.")
    Path project;

    @Option(names = "--clip", required = true, paramLabel = "REF",
            description = "The clip: TRACK:N (V1:3 = third clip on video track V1, tracks counted from the bottom as the editor shows them)"
                    + " or the clip's producer id. 'kinora info PROJECT' lists them.")
    String clip;

    @Option(names = "--effect", required = true, paramLabel = "ID", description = "The effect id (see 'kinora effects').")
    String effect;

    @Option(names = "--set", paramLabel = "NAME=VALUE", mapFallbackValue = "",
            description = "An effect parameter; repeat for several. Unset parameters take their defaults.")
    Map<String, String> params = new LinkedHashMap<>();
}

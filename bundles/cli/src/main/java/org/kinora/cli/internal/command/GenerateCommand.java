package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.cli.internal.apply.ApplyResult;
import org.kinora.cli.internal.apply.GenerateRequest;
import org.kinora.cli.internal.apply.GenerateRunner;
import org.kinora.cli.internal.apply.ProgressPrinter;
import org.kinora.cli.internal.apply.TerminalRun;
import org.kinora.core.timeline.Track;
import org.kinora.core.timeline.TrackKind;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kinora generate}: make a new clip from a prompt and put it on a new track of a project. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a clip from a text prompt and put it into the project.",
                "The clip is generated at the project's size and frame rate into kinora-media/ beside the project and goes on a new"
                        + " video track above all others, starting at --at; the timeline grows when the clip ends after it. The prompt,"
                        + " seed and the other settings are recorded on the clip. The project is updated in place with a backup, or"
                        + " written to --out. Press Ctrl-C to cancel: nothing is changed then."},
        footer = {"", "Examples:",
                "  kinora generate edit.mlt --prompt \"a red ball rolls to the left\"",
                "  kinora generate film.kdenlive --prompt \"a blue square moves up\" \\",
                "      --at 12.5 --duration 3 --seed 7",
                "  kinora generate edit.mlt --prompt \"a green triangle on sand\" \\",
                "      --anchor V1:2@1.0 --steps 24 --sampler heun --out edit-broll.mlt"})
public final class GenerateCommand implements Callable<Integer> {

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROJECT", description = "The Shotcut .mlt or Kdenlive .kdenlive project.")
    Path project;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "What the clip shows.")
    String prompt;

    @Option(names = "--at", paramLabel = "TIME",
            description = "Where on the timeline the clip starts: seconds (12.5), a clock (1:02.5) or a frame (300f). Default: the start.")
    String at;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Length of the clip in seconds. Default: the generator's.")
    String duration;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed: the same seed and settings give the same clip.")
    Long seed;

    @Option(names = "--steps", paramLabel = "N", description = "Denoising steps: more is slower and finer.")
    Integer steps;

    @Option(names = "--guidance", paramLabel = "X", description = "How strongly the clip follows the prompt (classifier-free guidance).")
    Double guidance;

    @Option(names = "--negative", paramLabel = "TEXT", description = "What the clip should not show.")
    String negative;

    @Option(names = "--anchor", paramLabel = "REF@TIME",
            description = "Keep the look of a frame of a clip of the project: the clip (V1:2, or a producer id) and a time in it, e.g. V1:2@1.5.")
    String anchor;

    @Option(names = "--sampler", paramLabel = "NAME", description = "The sampler: euler or heun (second order, two evaluations a step).")
    String sampler;

    @Option(names = "--text-model", paramLabel = "ID", description = "Text encoder model id. Default: minilm-l6-v2.")
    String textModel;

    @Option(names = "--denoiser", paramLabel = "ID", description = "Denoiser model id: the built-in t2v-world or an export.")
    String denoiser;

    @Option(names = "--decoder", paramLabel = "ID",
            description = "Decoder from the latent to frames: pixels (the built-in model's latent is pixels) or a decoder export.")
    String decoder;

    @Option(names = "--upsampler", paramLabel = "ID",
            description = "Second stage to the project's size: bicubic, or a super-resolution export run on each native frame first.")
    String upsampler;

    @Option(names = "--native-fps", paramLabel = "FPS", description = "Frame rate the denoiser and decoder make (8 for t2v-world).")
    Double nativeFps;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = "h264",
            description = "Codec of the generated media: h264 (MP4, default), prores (MOV, ProRes 422 HQ) or ffv1 (MKV, lossless).")
    ApplyCommand.Codec codec;

    @Option(names = "--out", paramLabel = "PROJECT",
            description = "Write the updated project here instead of updating PROJECT in place.")
    Path out;

    public GenerateCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> options = new LinkedHashMap<>();
        options.put("prompt", prompt);
        put(options, "negative", negative);
        put(options, "seed", seed);
        put(options, "steps", steps);
        put(options, "guidance", guidance);
        put(options, "sampler", sampler);
        put(options, "anchor", anchor);
        put(options, "text_model", textModel);
        put(options, "denoiser", denoiser);
        put(options, "decoder", decoder);
        put(options, "upsampler", upsampler);
        put(options, "native_fps", nativeFps);
        GenerateRunner runner = new GenerateRunner(services.effects(), services.hosts(), services.media()).withModelHashes(this::modelHash);
        GenerateRunner.Plan plan = runner.plan(new GenerateRequest(project, GenerateRunner.EFFECT, options, at, duration, out,
                codec.codec));
        var profile = plan.document().timeline().profile();
        double fps = profile.frameRate().fps();
        long videoTracks = plan.document().timeline().tracks().stream().filter(t -> t.kind() == TrackKind.VIDEO).count();
        ApplyJob job = new ApplyJob();
        o.printf(Locale.ROOT, "%s: %s, %d frames (%.2f s at %s fps, %dx%d) from %.2f s (frame %d) on a new track V%d of %s%n",
                job.id(), plan.effect().info().id(), plan.frameCount(), plan.seconds(), profile.frameRate(), profile.width(),
                profile.height(), plan.atFrame() / fps, plan.atFrame(), videoTracks + 1, plan.document().file().getFileName());
        o.printf("parameters: %s%n", plan.parameters().toJson());
        ApplyResult r = TerminalRun.run(job, services.inference(), err, ProgressPrinter.Unit.STEPS,
                () -> runner.run(plan, job, codec.codec));
        if (r == null) {
            return 130;
        }
        Track top = plan.document().timeline().tracks().stream().filter(t -> t.kind() == TrackKind.VIDEO).reduce((a, b) -> b)
                .orElseThrow();
        o.printf(Locale.ROOT, "done: %d frames in %.1f s (%.2f s per generated second)%n", r.frames(), r.seconds(),
                r.seconds() / Math.max(1e-9, r.frames() / fps));
        o.printf("media:   %s%n", r.media());
        o.printf("track:   %s from frame %d%n", top.name(), plan.atFrame());
        o.printf("project: %s%s%n", r.project(), r.project().equals(plan.document().file()) ? " (updated in place; backup beside it)" : "");
        return 0;
    }

    private static void put(Map<String, String> options, String name, Object value) {
        if (value != null) {
            options.put(name, value.toString());
        }
    }

    private String modelHash(String id) {
        return modelHashes(services.models(), services.inference()).apply(id);
    }

    /**
     * The sha256 of a model's weights by id: from its card in the model store, or for a built-in network from its
     * description ("weights sha256 ..."); null when it has none (a classical built-in). Also used by the web panel.
     *
     * @param models    the model store, or null
     * @param inference the inference service, or null
     */
    public static java.util.function.Function<String, String> modelHashes(org.kinora.core.inference.ModelStore models,
            org.kinora.core.inference.InferenceService inference) {
        return id -> {
            if (models != null) {
                var card = models.card(id);
                if (card.isPresent() && !card.get().files().isEmpty()) {
                    return card.get().files().stream().map(f -> f.sha256()).reduce((a, b) -> a + "," + b).orElse(null);
                }
            }
            if (inference != null) {
                for (var m : inference.models()) {
                    if (m.id().equals(id)) {
                        var match = java.util.regex.Pattern.compile("[Ww]eights sha256 ([0-9a-f]{64})").matcher(m.description());
                        return match.find() ? match.group(1) : null;
                    }
                }
            }
            return null;
        };
    }
}

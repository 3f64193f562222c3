package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.cli.internal.apply.ApplyRequest;
import org.kinora.cli.internal.apply.ApplyResult;
import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.cli.internal.apply.TerminalRun;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.media.VideoCodec;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinora apply}: run an effect on one clip of a project and put the result back into the project. */
@Command(name = "apply", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an effect on a clip and put the result into the project.",
                "The result is rendered into kinora-media/ beside the project. In replace mode the clip's timeline entry plays the result at"
                        + " the same position and length, and the original stays in the bin; in overlay mode the result goes on a new video"
                        + " track above. The project is updated in place with a backup, or written to --out. Press Ctrl-C to cancel: nothing"
                        + " is changed then."})
public final class ApplyCommand implements Callable<Integer> {

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClipEffectOptions target;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "replace",
            description = "replace (default): the clip plays the result; overlay: the result goes on a new track above.")
    Mode mode;

    @Option(names = "--out", paramLabel = "PROJECT",
            description = "Write the updated project here instead of updating PROJECT in place.")
    Path out;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = "h264",
            description = "Codec of the result media: h264 (MP4, default), prores (MOV, ProRes 422 HQ) or ffv1 (MKV, lossless).")
    Codec codec;

    /** Placement modes as typed. */
    enum Mode {
        replace, overlay
    }

    /** Codecs as typed. */
    enum Codec {
        h264(VideoCodec.H264), prores(VideoCodec.PRORES), ffv1(VideoCodec.FFV1);

        final VideoCodec codec;

        Codec(VideoCodec c) {
            this.codec = c;
        }
    }

    public ApplyCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PlacementMode placement = mode == Mode.overlay ? PlacementMode.OVERLAY : PlacementMode.REPLACE;
        ApplyRunner runner = new ApplyRunner(services.effects(), services.hosts(), services.media());
        ApplyRunner.Plan plan = runner.plan(new ApplyRequest(target.project, target.clip, target.effect, target.params, placement,
                this.out, codec.codec));
        ApplyJob job = new ApplyJob();
        out.printf("%s: %s on %s (%s, %d frames) of %s%n", job.id(), plan.effect().info().id(), plan.clip().ref(),
                plan.clip().resource().getFileName(), plan.clip().length(), plan.document().file().getFileName());
        out.printf("parameters: %s%n", plan.parameters().toJson());
        ApplyResult r = TerminalRun.run(runner, plan, job, codec.codec, placement, services.inference(), err);
        if (r == null) {
            return 130;
        }
        out.printf("done: %d frames in %.1f s (%.1f fps)%n", r.frames(), r.seconds(), r.frames() / Math.max(1e-9, r.seconds()));
        out.printf("media:   %s%n", r.media());
        out.printf("project: %s%s%n", r.project(), r.project().equals(plan.document().file()) ? " (updated in place; backup beside it)" : "");
        return 0;
    }
}

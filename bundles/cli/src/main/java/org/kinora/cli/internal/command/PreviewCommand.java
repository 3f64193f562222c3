package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyRequest;
import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.cli.internal.preview.ClipTime;
import org.kinora.cli.internal.preview.PreviewJob;
import org.kinora.cli.internal.preview.PreviewRunner;
import org.kinora.core.KinoraException;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.media.VideoCodec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinora preview}: one frame of an effect on a clip, as a PNG; the project is not changed. */
@Command(name = "preview", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Render one frame of an effect on a clip as a PNG, to try parameters before a full render.",
                "The frame is what the full render would show there (for style-transfer with temporal=true, the frame is"
                        + " stylized on its own: there is no previous frame to blend with). The project is not changed."})
public final class PreviewCommand implements Callable<Integer> {

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClipEffectOptions target;

    @Option(names = "--at", required = true, paramLabel = "TIME", split = ",",
            description = "Where in the clip, from its first frame: seconds (2.5), a clock (1:02.5) or a frame number (48f)."
                    + " Several, comma-separated (0,2.5,5), give one PNG each, named FILE-<frame>.png.")
    List<String> at;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write (replaced if it exists).")
    Path out;

    /** FILE.png as FILE-FRAME.png. */
    static Path numbered(Path png, long frame) {
        String name = png.getFileName().toString();
        return png.resolveSibling(name.substring(0, name.length() - 4) + "-" + frame + name.substring(name.length() - 4));
    }

    public PreviewCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Path png = out.toAbsolutePath().normalize();
        if (!png.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new KinoraException("--out " + out + ": a preview is written as PNG; name the file *.png");
        }
        if (png.getParent() == null || !Files.isDirectory(png.getParent())) {
            throw new KinoraException("--out " + out + ": folder " + png.getParent() + " does not exist");
        }
        if (Files.isDirectory(png)) {
            throw new KinoraException("--out " + out + " is a folder");
        }
        // the inference engine's first start (seconds: native libraries) overlaps reading the project
        Thread warm = new Thread(() -> services.inference().devices(), "kinora-preview-warm-up");
        warm.setDaemon(true);
        warm.start();
        ApplyRunner runner = new ApplyRunner(services.effects(), services.hosts(), services.media());
        ApplyRunner.Plan plan = runner.plan(new ApplyRequest(target.project, target.clip, target.effect, target.params,
                PlacementMode.REPLACE, null, VideoCodec.H264));
        List<Long> frames = new ArrayList<>();
        for (String t : at) {
            frames.add(ClipTime.frame(t, plan.document().timeline().profile().frameRate()));
        }
        double fps = plan.document().timeline().profile().frameRate().fps();
        o.printf(Locale.ROOT, "%s on %s of %s, parameters %s%n", plan.effect().info().id(), plan.clip().ref(),
                plan.document().file().getFileName(), plan.parameters().toJson());
        PreviewRunner runnerOne = new PreviewRunner(services.media());
        for (long frame : frames) {
            Path file = frames.size() == 1 ? png : numbered(png, frame);
            PreviewJob job = new PreviewJob();
            Thread hook = new Thread(job::cancel, "kinora-preview-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            PreviewRunner.Preview p;
            try {
                p = runnerOne.run(plan, frame, file, job);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // already on the way out
                }
            }
            if (p == null) {
                return 130;
            }
            o.printf(Locale.ROOT, "%s: frame %d (%.3f s) in %.3f s (effect %.3f s)%n", file, p.frame(), p.frame() / fps,
                    p.seconds(), p.effectSeconds());
        }
        o.printf(Locale.ROOT, "%.1f s since the process started (runtime start, first engine and model load included)%n",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        return 0;
    }
}

package org.kinora.cli.internal.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.commons.io.file.PathUtils;
import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.cli.internal.apply.ApplyRequest;
import org.kinora.cli.internal.apply.ApplyResult;
import org.kinora.cli.internal.apply.ApplyRunner;
import org.kinora.cli.internal.apply.TerminalRun;
import org.kinora.core.KinoraException;
import org.kinora.core.host.PlacementMode;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoCodec;
import org.kinora.core.time.FrameRate;
import org.kinora.samples.SampleMedia;
import org.kinora.samples.SampleScene;
import org.kinora.samples.ShotcutSampleProject;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kinora demo}: makes sample clips and a Shotcut project with Kinora's own code, restyles the middle clip, and
 * renders the result with {@code melt} when it is installed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make a sample Shotcut project with three generated clips (with audio), or with your own footage (--footage),"
                + " restyle clip V1:2 with style-transfer, and render the restyled project with melt when melt is installed."
                + " Prints where everything is."})
public final class DemoCommand implements Callable<Integer> {

    private static final String PROJECT = "demo.mlt";
    private static final String STYLED = "demo-styled.mlt";
    private static final String RENDER = "demo-styled.mp4";

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "kinora-demo",
            description = "Folder for the demo (default: ./kinora-demo). Re-running replaces an earlier demo there.")
    Path dir;

    @Option(names = "--style", paramLabel = "STYLE", defaultValue = "cartoon", description = "Style for the middle clip (default: cartoon).")
    String style;

    @Option(names = "--width", defaultValue = "1280", description = "Frame width (default: 1280).")
    int width;

    @Option(names = "--height", defaultValue = "720", description = "Frame height (default: 720).")
    int height;

    @Option(names = "--seconds", defaultValue = "2", description = "Length of each sample clip in seconds (default: 2).")
    double seconds;

    @Option(names = "--no-render", description = "Skip the melt render.")
    boolean noRender;

    @Option(names = "--footage", paramLabel = "FILE",
            description = "Use your own media instead of generated clips (repeat for several; up to --seconds of each, at the"
                    + " first file's size; V1:2 is restyled, so give two or more). The files are referenced, not copied.")
    List<Path> footage = new ArrayList<>();

    public DemoCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (width < 16 || height < 16 || width > 7680 || height > 4320 || width % 2 != 0 || height % 2 != 0) {
            throw new KinoraException("--width/--height must be even and between 16x16 and 7680x4320, got " + width + "x" + height);
        }
        if (seconds <= 0 || seconds > 600) {
            throw new KinoraException("--seconds must be in (0, 600], got " + seconds);
        }
        Path root = dir.toAbsolutePath().normalize();
        prepare(root);
        FrameRate rate = FrameRate.FPS_25;
        List<ShotcutSampleProject.Item> items = footage.isEmpty() ? generate(root, rate, out) : useFootage(rate, out);
        Path project = ShotcutSampleProject.write(root.resolve(PROJECT), width, height, rate, items);
        String target = items.size() >= 2 ? "V1:2" : "V1:1";
        out.printf("sample project: %s%n", project);

        ApplyRunner runner = new ApplyRunner(services.effects(), services.hosts(), services.media());
        ApplyRunner.Plan plan = runner.plan(new ApplyRequest(project, target, "style-transfer", Map.of("style", style),
                PlacementMode.REPLACE, root.resolve(STYLED), VideoCodec.H264));
        ApplyJob job = new ApplyJob();
        out.printf("applying style-transfer (style=%s) to %s ...%n", style, target);
        ApplyResult r = TerminalRun.run(runner, plan, job, VideoCodec.H264, PlacementMode.REPLACE, services.inference(), err);
        if (r == null) {
            return 130;
        }
        out.printf("styled %d frames in %.1f s (%.1f fps)%n", r.frames(), r.seconds(), r.frames() / Math.max(1e-9, r.seconds()));

        Path render = null;
        if (!noRender) {
            render = renderWithMelt(root, out, err);
        }
        out.println();
        out.println("Kinora demo is ready:");
        if (footage.isEmpty()) {
            out.printf("  sample media:      %s%n", root.resolve("media"));
        } else {
            out.printf("  your footage:      %s%n", String.join(", ", footage.stream().map(Path::toString).toList()));
        }
        out.printf("  original project:  %s  (open it in Shotcut)%n", project);
        out.printf("  restyled project:  %s  (clip %s plays the restyled media; the original stays in the bin)%n", r.project(), target);
        out.printf("  restyled media:    %s%n", r.media());
        if (render != null) {
            out.printf("  melt render:       %s%n", render);
        } else if (!noRender) {
            out.println("  melt render:       skipped (melt is not installed; apt-get install melt)");
        }
        return 0;
    }

    private List<ShotcutSampleProject.Item> generate(Path root, FrameRate rate, PrintWriter out) throws Exception {
        long frames = Math.max(2, rate.frameAtSeconds(seconds));
        List<ShotcutSampleProject.Item> items = new ArrayList<>();
        for (SampleScene scene : SampleScene.values()) {
            Path file = root.resolve("media").resolve(scene.name().toLowerCase() + ".mp4");
            out.printf("making sample clip %s (%dx%d, %d frames, with audio)%n", root.relativize(file), width, height, frames);
            SampleMedia.write(services.media(), scene, file, width, height, rate, frames);
            items.add(new ShotcutSampleProject.Item(file, frames));
        }
        return items;
    }

    /** The user's files, each cut to at most {@code --seconds}; the project takes the first one's picture size. */
    private List<ShotcutSampleProject.Item> useFootage(FrameRate rate, PrintWriter out) throws Exception {
        List<ShotcutSampleProject.Item> items = new ArrayList<>();
        for (Path f : footage) {
            Path file = f.toAbsolutePath().normalize();
            MediaInfo info = services.media().probe(file);
            if (info.width() <= 0) {
                throw new KinoraException(file + ": has no pictures to restyle");
            }
            if (items.isEmpty()) {
                width = info.width() - info.width() % 2;
                height = info.height() - info.height() % 2;
            }
            long frames = Math.max(2, Math.min(rate.frameAtSeconds(seconds), rate.frameAtSeconds(info.durationSeconds()) - 1));
            out.printf("using %s (%dx%d, %s, %d frames of it)%n", file, info.width(), info.height(), info.videoCodec(), frames);
            items.add(new ShotcutSampleProject.Item(file, frames));
        }
        return items;
    }

    private static void prepare(Path root) throws IOException, KinoraException {
        if (Files.isDirectory(root)) {
            boolean earlierDemo = Files.exists(root.resolve(PROJECT));
            try (Stream<Path> s = Files.list(root)) {
                if (!earlierDemo && s.findAny().isPresent()) {
                    throw new KinoraException("demo folder " + root + " is not empty and holds no earlier demo; choose another --dir");
                }
            }
            if (earlierDemo) {
                for (String name : List.of("media", "kinora-media")) {
                    if (Files.exists(root.resolve(name))) {
                        PathUtils.deleteDirectory(root.resolve(name));
                    }
                }
                try (Stream<Path> s = Files.list(root)) {
                    for (Path p : s.filter(p -> p.getFileName().toString().startsWith("demo")).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        Files.createDirectories(root.resolve("media"));
    }

    private static Path renderWithMelt(Path root, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        String melt = Melt.find();
        if (melt == null) {
            return null;
        }
        Path target = root.resolve(RENDER);
        out.printf("rendering %s with melt ...%n", STYLED);
        Process p = new ProcessBuilder(melt, "-quiet", root.resolve(STYLED).toString(), "-consumer", "avformat:" + target,
                "vcodec=libx264", "preset=veryfast", "crf=20", "acodec=aac")
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(root.resolve("melt.log").toFile())
                // melt reads keyboard commands from stdin; give it none so it cannot wait on us
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.exists(target)) {
            p.destroyForcibly();
            err.println("kinora: melt could not render the project; see " + root.resolve("melt.log"));
            return null;
        }
        return target;
    }

    /** Finding the melt binary. */
    static final class Melt {
        private Melt() {
        }

        static String find() {
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path m = Path.of(d, "melt");
                if (Files.isExecutable(m)) {
                    return m.toString();
                }
            }
            return null;
        }
    }
}

package org.kinora.cli.internal.command;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.io.FileUtils;
import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Profile;
import org.kinora.samples.SampleMedia;
import org.kinora.samples.SampleScene;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kinora benchmark}: the style-transfer pipeline against decode+encode alone on the same generated clip in the
 * same run, and the peak memory of the pipeline for a short and a long clip (which should be about equal: queues are
 * bounded).
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {InferenceBenchmarkCommand.class, MotionBrushBenchmarkCommand.class, StyleBenchmarkCommand.class,
                PoseBenchmarkCommand.class, GenerateBenchmarkCommand.class},
        description = {"Measure the effect pipeline against decode+encode alone on a generated clip (fps and their ratio), and peak"
                + " process memory (RSS) of the pipeline on a short vs. a long clip. Figures are ratios against a baseline measured in"
                + " the same run.", "`kinora benchmark inference` measures the inference service: MoveNet vs. TF.js on Node, remote vs."
                + " local calls, latency under concurrent load.", "`kinora benchmark motion-brush` measures the motion-brush effect at 720p"
                + " and 1080p: seconds of compute per second of output.", "`kinora benchmark styles` measures every style at 720p and 1080p:"
                + " each pipeline stage alone, the whole pipeline, and their ratio.", "`kinora benchmark pose` measures pose-animate at 720p"
                + " and 1080p against still -> H.264 alone, and pose extraction (MoveNet) against decoding alone.", "`kinora benchmark generate`"
                + " measures the generate effect: seconds per generated second at the native size and upsampled, and per denoising step."})
public final class BenchmarkCommand implements Callable<Integer> {

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of the short clip (default: 10).")
    double seconds;

    @Option(names = "--long-seconds", defaultValue = "60", description = "Length of the long clip for the memory comparison (default: 60; 0 skips it).")
    double longSeconds;

    @Option(names = "--long-pipeline", defaultValue = "copy",
            description = "What the memory comparison runs on the short and the long clip: copy (decode+encode, default: fast) or"
                    + " effect (the full pipeline; the long clip then takes minutes on a CPU).")
    String longPipeline;

    /** Child-process mode of the memory comparison: one pipeline over one clip in a fresh JVM. */
    @Option(names = "--measure-clip", hidden = true)
    Path measureClip;

    @Option(names = "--width", defaultValue = "1920", description = "Frame width (default: 1920).")
    int width;

    @Option(names = "--height", defaultValue = "1080", description = "Frame height (default: 1080).")
    int height;

    @Option(names = "--effect", defaultValue = "style-transfer", description = "Effect to measure (default: style-transfer).")
    String effectId;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Effect parameters (default: the effect's defaults).")
    Map<String, String> params = Map.of();

    @Option(names = "--models", defaultValue = "style-cartoon,style-pencil,style-paint", split = ",",
            description = "Models measured alone on the inference service at 720p and 1080p (default: the built-in styles; "
                    + "an empty value skips this).")
    List<String> models;

    @Option(names = "--model-frames", defaultValue = "16", description = "Frames per model and size (default: 16).")
    int modelFrames;

    public BenchmarkCommand(Services services) {
        this.services = services;
    }

    /** One measured run. */
    record Run(String what, long frames, double seconds, long peakRssBytes) {
        double fps() {
            return frames / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Effect effect = services.effects().require(effectId);
        ParameterValues values = ParameterValues.resolve(effect.info().parameters(), params);
        FrameRate rate = FrameRate.FPS_25;
        if (measureClip != null) {
            return measureInChild(out, effect, values, rate);
        }
        Path tmp = Files.createTempDirectory("kinora-bench-");
        try {
            out.printf("benchmark: %s %s at %dx%d, %s fps; devices: %s%n", effectId, values.toJson(), width, height, rate,
                    services.inference().devices());
            Path shortClip = make(tmp, "short.mp4", rate, seconds, out);
            Run copy = measure("decode+encode", shortClip, rate, null, values, tmp);
            Run full = measure("decode+" + effectId + "+encode", shortClip, rate, effect, values, tmp);
            out.println();
            out.printf("%-36s %8s %10s %12s%n", "pipeline (" + seconds + " s clip)", "frames", "fps", "peak RSS");
            for (Run r : new Run[] {copy, full}) {
                out.printf("%-36s %8d %10.2f %9.0f MiB%n", r.what(), r.frames(), r.fps(), r.peakRssBytes() / 1048576.0);
            }
            out.printf("ratio effect pipeline / decode+encode: %.3f (the effect costs %.1fx the media I/O alone)%n",
                    full.fps() / copy.fps(), copy.fps() / full.fps());
            if (longSeconds > 0) {
                Path longClip = make(tmp, "long.mp4", rate, longSeconds, out);
                boolean withEffect = longPipeline.equalsIgnoreCase("effect");
                out.printf("memory: %s on each clip in a fresh process (same JVM options) ...%n",
                        withEffect ? "the effect pipeline" : "decode+encode");
                Run shortRun = inChild(shortClip, withEffect);
                Run longRun = inChild(longClip, withEffect);
                if (shortRun != null && longRun != null) {
                    out.printf("peak RSS of %s: %.0f MiB for %.0f s (%d frames) vs %.0f MiB for %.0f s (%d frames): ratio %.2f"
                            + " (bounded queues keep this near 1)%n", withEffect ? "the effect pipeline" : "decode+encode",
                            shortRun.peakRssBytes() / 1048576.0, seconds, shortRun.frames(), longRun.peakRssBytes() / 1048576.0,
                            longSeconds, longRun.frames(), (double) longRun.peakRssBytes() / shortRun.peakRssBytes());
                }
            }
            if (models != null && !models.isEmpty() && !models.get(0).isBlank()) {
                measureModels(out);
            }
            return 0;
        } finally {
            FileUtils.deleteQuietly(tmp.toFile());
        }
    }

    /**
     * Each model alone on the inference service (frames already decoded, nothing encoded), in batches of two as the
     * effect sends them: the ceiling the full pipeline can reach with that model.
     */
    private void measureModels(PrintWriter out) throws Exception {
        out.println();
        out.printf("%-16s %12s %12s   (model alone on %s, batches of 2, %d frames)%n", "model", "720p fps", "1080p fps",
                services.inference().devices().stream().filter(DeviceInfo::active).map(DeviceInfo::id).toList(), modelFrames);
        int[][] sizes = {{1280, 720}, {1920, 1080}};
        for (String model : models) {
            double[] fps = new double[sizes.length];
            for (int s = 0; s < sizes.length; s++) {
                int w = sizes[s][0];
                int h = sizes[s][1];
                ByteBuffer batch = ByteBuffer.allocateDirect(2 * w * h * 3);
                for (int i = 0; i < 2; i++) {
                    batch.put(SampleScene.MEADOW.frame(i * 10, 20, w, h).rgb());
                }
                batch.flip();
                Tensor frames = new Tensor("frames", TensorType.UINT8, new long[] {2, h, w, 3}, batch);
                InferenceRequest req = new InferenceRequest(model, List.of(frames), Map.of("strength", 1.0), "benchmark", Priority.BATCH);
                services.inference().infer(req); // warm-up: engine start, first-call allocations
                long t0 = System.nanoTime();
                for (int done = 0; done < modelFrames; done += 2) {
                    services.inference().infer(req);
                }
                fps[s] = modelFrames / ((System.nanoTime() - t0) / 1e9);
            }
            out.printf("%-16s %12.2f %12.2f%n", model, fps[0], fps[1]);
        }
    }

    /** Runs one measurement in this process and prints it for the parent. */
    private int measureInChild(PrintWriter out, Effect effect, ParameterValues values, FrameRate rate) throws Exception {
        Path dir = Files.createTempDirectory("kinora-bench-child-");
        try {
            Run r = measure("child", measureClip, rate, longPipeline.equalsIgnoreCase("effect") ? effect : null, values, dir);
            out.printf("KINORA-BENCH frames=%d seconds=%.3f peak-rss=%d%n", r.frames(), r.seconds(), r.peakRssBytes());
            return 0;
        } finally {
            FileUtils.deleteQuietly(dir.toFile());
        }
    }

    /**
     * Peak memory must be compared between processes in the same state: in one JVM the second run starts from whatever
     * the first left resident (heap grown, native caches), so each clip runs in a fresh {@code kinora} process.
     */
    private Run inChild(Path clip, boolean withEffect) throws Exception {
        String jar = System.getProperty("kinora.launcher.jar");
        PrintWriter out = spec.commandLine().getOut();
        if (jar == null) {
            out.println("memory comparison skipped: not started by the kinora launcher");
            return null;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-jar", jar, "benchmark", "--measure-clip", clip.toString(), "--long-pipeline", withEffect ? "effect" : "copy",
                "--width", Integer.toString(width), "--height", Integer.toString(height), "--effect", effectId));
        params.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("KINORA-BENCH frames=(\\d+) seconds=([0-9.]+) peak-rss=(\\d+)").matcher(text);
        if (p.exitValue() != 0 || !m.find()) {
            throw new KinoraException("benchmark child process failed on " + clip.getFileName() + ": " + text.strip());
        }
        return new Run(clip.getFileName().toString(), Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Long.parseLong(m.group(3)));
    }

    private Path make(Path dir, String name, FrameRate rate, double secs, PrintWriter out) throws Exception {
        long frames = rate.frameAtSeconds(secs);
        out.printf("generating %s: %d frames ...%n", name, frames);
        return SampleMedia.write(services.media(), SampleScene.MEADOW, dir.resolve(name), width, height, rate, frames);
    }

    private Run measure(String what, Path clip, FrameRate rate, Effect effect, ParameterValues values, Path dir) throws Exception {
        MediaInfo info = services.media().probe(clip);
        long frames = info.frameCount();
        System.gc();
        try (RssSampler rss = new RssSampler()) {
            long t0 = System.nanoTime();
            try (FrameSource src = services.media().open(clip, new DecodeRequest(0, frames - 1, rate, width, height));
                    FrameSink sink = services.media().create(dir.resolve("out-" + System.nanoTime() + ".mp4"),
                            EncodeSettings.h264(width, height, rate))) {
                if (effect == null) {
                    VideoFrame f;
                    while ((f = src.next()) != null) {
                        sink.write(f);
                    }
                } else {
                    ApplyJob job = new ApplyJob();
                    effect.render(new EffectContext(values, src, sink, frames, new Profile(width, height, rate, 709), job));
                }
                if (sink.framesWritten() != frames) {
                    throw new KinoraException(what + " wrote " + sink.framesWritten() + " of " + frames + " frames");
                }
                sink.finish();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            return new Run(what, frames, secs, rss.peak());
        }
    }

    /** Samples the process's resident memory from /proc while a run is going on. */
    static final class RssSampler implements AutoCloseable {
        private final Thread thread;
        private volatile boolean stop;
        private volatile long peak;

        RssSampler() {
            thread = new Thread(() -> {
                while (!stop) {
                    peak = Math.max(peak, read());
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "kinora-rss");
            thread.setDaemon(true);
            thread.start();
        }

        long peak() {
            return Math.max(peak, read());
        }

        static long read() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // not Linux: fall through
            }
            Runtime r = Runtime.getRuntime();
            return r.totalMemory() - r.freeMemory();
        }

        @Override
        public void close() {
            stop = true;
            thread.interrupt();
        }
    }
}

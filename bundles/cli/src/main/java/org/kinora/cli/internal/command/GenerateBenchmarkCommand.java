package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.commons.io.FileUtils;
import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Profile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kinora benchmark generate}: seconds of compute per generated second with the built-in model, at its native
 * 16:9 size and upsampled to 720p and 1080p (each through H.264, as {@code kinora generate} writes), the cost of one
 * denoising step, and, as the same run's baseline, encoding the same number of black frames alone.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the generate effect with the built-in model: seconds of compute per generated second at the"
                + " native 16:9 size (56x32) and upsampled to 1280x720 and 1920x1080, milliseconds per denoising step, against"
                + " encoding the same frames alone in the same run. Needs minilm-l6-v2 (kinora models fetch minilm-l6-v2)."})
public final class GenerateBenchmarkCommand implements Callable<Integer> {

    private static final String EFFECT = "generate";

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "2", description = "Length of each generated clip in seconds (default: 2).")
    double seconds;

    @Option(names = "--steps", defaultValue = "20", description = "Denoising steps per chunk (default: 20, the effect's default).")
    int steps;

    @Option(names = "--sampler", defaultValue = "heun", description = "heun (default) or euler.")
    String sampler;

    @Option(names = "--sizes", defaultValue = "56x32,1280x720,1920x1080", split = ",", paramLabel = "WxH",
            description = "Output sizes (default: 56x32,1280x720,1920x1080; 56x32 is the model's native 16:9 size).")
    List<String> sizes;

    public GenerateBenchmarkCommand(Services services) {
        this.services = services;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Effect effect = services.effects().require(EFFECT);
        if (!(seconds > 0) || seconds > 60) {
            throw new KinoraException("--seconds must be above 0 and at most 60, not " + seconds);
        }
        List<int[]> dims = new ArrayList<>();
        for (String s : sizes) {
            dims.add(MotionBrushBenchmarkCommand.size(s));
        }
        FrameRate rate = FrameRate.FPS_25;
        long frames = Math.max(1, rate.frameAtSeconds(seconds));
        ParameterValues values = ParameterValues.resolve(effect.info().parameters(), Map.of("prompt",
                "a red circle moving left on a sandy background", "steps", String.valueOf(steps), "sampler", sampler, "seed", "1"));
        effect.check(values);
        Path tmp = Files.createTempDirectory("kinora-bench-gen-");
        try {
            out.printf("benchmark: %s, %d frames (%.2f s) at %s fps, %d %s steps per 1 s chunk; devices: %s%n", EFFECT, frames,
                    frames / rate.fps(), rate, steps, sampler,
                    services.inference().devices().stream().filter(DeviceInfo::active).map(DeviceInfo::id).toList());
            // a first short run loads the models and warms the JIT; it is not measured
            run(effect, values, 56, 32, rate, Math.min(frames, 8), tmp.resolve("warm.mp4"), new ArrayList<>());
            out.println();
            out.printf("%-11s %8s %12s %14s %12s %12s %10s%n", "size", "frames", "generate s", "s per gen. s", "ms per step",
                    "encode s", "ratio");
            for (int[] d : dims) {
                List<Long> stepTimes = new ArrayList<>();
                double gen = run(effect, values, d[0], d[1], rate, frames, tmp.resolve("gen-" + d[0] + ".mp4"), stepTimes);
                double enc = encodeOnly(d[0], d[1], rate, frames, tmp.resolve("enc-" + d[0] + ".mp4"));
                double perStep = 0;
                for (int i = 1; i < stepTimes.size(); i++) {
                    perStep += (stepTimes.get(i) - stepTimes.get(i - 1)) / 1e6;
                }
                perStep /= Math.max(1, stepTimes.size() - 1);
                out.printf("%-11s %8d %12.2f %14.2f %12.1f %12.2f %10.1f%n", d[0] + "x" + d[1], frames, gen, gen / (frames / rate.fps()),
                        perStep, enc, gen / enc);
                out.flush();
            }
            out.println();
            out.println("generate s: prompt -> text encoder -> " + steps + " " + sampler + " steps of the denoiser per chunk -> upsampling"
                    + " -> H.264; s per gen. s: that over the clip's length; ms per step: one denoising step (both guidance branches in"
                    + " one call; heun makes two calls a step); encode s: the same number of frames encoded alone; ratio: the first"
                    + " over the last.");
            return 0;
        } finally {
            FileUtils.deleteQuietly(tmp.toFile());
        }
    }

    private double run(Effect effect, ParameterValues values, int w, int h, FrameRate rate, long frames, Path output, List<Long> stepTimes)
            throws Exception {
        ApplyJob job = new ApplyJob();
        job.onProgress(p -> stepTimes.add(System.nanoTime()));
        job.started();
        long t0 = System.nanoTime();
        try (FrameSink sink = services.media().create(output, EncodeSettings.h264(w, h, rate))) {
            effect.render(new EffectContext(values, null, sink, frames, new Profile(w, h, rate, 709), job));
            if (sink.framesWritten() != frames) {
                throw new KinoraException(EFFECT + " wrote " + sink.framesWritten() + " of " + frames + " frames at " + w + "x" + h);
            }
            sink.finish();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private double encodeOnly(int w, int h, FrameRate rate, long frames, Path output) throws Exception {
        long t0 = System.nanoTime();
        try (FrameSink sink = services.media().create(output, EncodeSettings.h264(w, h, rate))) {
            for (long i = 0; i < frames; i++) {
                sink.write(new VideoFrame(i, w, h, java.nio.ByteBuffer.allocate(w * h * 3)));
            }
            sink.finish();
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}

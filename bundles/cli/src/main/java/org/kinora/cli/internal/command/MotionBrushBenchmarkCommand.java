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
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Profile;
import org.kinora.samples.SampleStill;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kinora benchmark motion-brush}: seconds of compute per second of output of the {@code motion-brush} effect at
 * each size, through the same pipeline {@code kinora apply} runs (the still decoded at the output size, the effect,
 * H.264 encoding), against decoding the still and encoding the same number of frames in the same run.
 */
@Command(name = "motion-brush", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the motion-brush effect: seconds of compute per second of output at 720p and 1080p (by default),"
                + " on the sample lake still (samples/motion-brush/lake.png, drawn by SampleStill) scaled to each size with the"
                + " brush file river-and-clouds.json (its coordinates are in the still's pixels; the effect scales them with the"
                + " still). Pipeline: still -> effect -> H.264 encode, against still -> H.264 encode of the same length, and"
                + " their ratio."})
public final class MotionBrushBenchmarkCommand implements Callable<Integer> {

    private static final String EFFECT = "motion-brush";

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "2", description = "Length of the output clip in seconds (default: 2).")
    double seconds;

    @Option(names = "--sizes", defaultValue = "1280x720,1920x1080", split = ",", paramLabel = "WxH",
            description = "Output sizes (default: 1280x720,1920x1080).")
    List<String> sizes;

    @Option(names = "--still", paramLabel = "IMAGE",
            description = "The still (default: the sample lake still, drawn by SampleStill, 640x360).")
    Path still;

    @Option(names = "--brushes", paramLabel = "JSON",
            description = "The brush file (default: samples/motion-brush/river-and-clouds.json in the Kinora checkout).")
    Path brushes;

    @Option(names = "--loop", defaultValue = "true", arity = "1", description = "Render a seamless loop (default: true).")
    boolean loop;

    public MotionBrushBenchmarkCommand(Services services) {
        this.services = services;
    }

    /** One measured run. */
    record Run(long frames, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Effect effect = services.effects().require(EFFECT);
        Path brushFile = brushes != null ? brushes
                : InferenceBenchmarkCommand.home().resolve("samples/motion-brush/river-and-clouds.json");
        if (!Files.isRegularFile(brushFile)) {
            throw new KinoraException("brush file not found: " + brushFile + " (give one with --brushes)");
        }
        List<int[]> dims = new ArrayList<>();
        for (String s : sizes) {
            dims.add(size(s));
        }
        if (!(seconds > 0) || seconds > 600) {
            throw new KinoraException("--seconds must be above 0 and at most 600, not " + seconds);
        }
        FrameRate rate = FrameRate.FPS_25;
        long frames = Math.max(1, rate.frameAtSeconds(seconds));
        double outputSeconds = frames / rate.fps();
        Path tmp = Files.createTempDirectory("kinora-bench-mb-");
        try {
            Path image = still != null ? still : SampleStill.write(tmp.resolve("lake.png"));
            MediaInfo info = services.media().probe(image);
            ParameterValues values = ParameterValues.resolve(effect.info().parameters(),
                    Map.of("brushes", brushFile.toString(), "loop", Boolean.toString(loop)));
            out.printf("benchmark: %s on %s (%dx%d) with %s, %d frames (%.2f s) at %s fps, loop=%s; devices: %s%n", EFFECT,
                    image.getFileName(), info.width(), info.height(), brushFile.getFileName(), frames, outputSeconds, rate, loop,
                    services.inference().devices().stream().filter(DeviceInfo::active).map(DeviceInfo::id).toList());
            // one short run first: engine start and first-call allocations are not what is measured
            measure(image, dims.get(0)[0], dims.get(0)[1], rate, Math.min(frames, 8), effect, values, tmp);
            out.println();
            out.printf("%-11s %-13s %8s %10s %10s %14s %10s%n", "size", "brush scale", "frames", "effect s", "copy s",
                    "s per output s", "ratio");
            for (int[] d : dims) {
                Run copy = measure(image, d[0], d[1], rate, frames, null, values, tmp);
                Run full = measure(image, d[0], d[1], rate, frames, effect, values, tmp);
                String scale = String.format("x%.2f, x%.2f", (double) d[0] / info.width(), (double) d[1] / info.height());
                out.printf("%-11s %-13s %8d %10.2f %10.2f %14.2f %10.1f%n", d[0] + "x" + d[1], scale, frames, full.seconds(), copy.seconds(),
                        full.seconds() / outputSeconds, full.seconds() / copy.seconds());
                out.flush();
            }
            out.println();
            out.println("effect s: still -> motion-brush -> H.264; copy s: still -> H.264 (decode+encode, same frames);"
                    + " s per output s: effect s / output length (1.0 = real time); ratio: effect s / copy s.");
            return 0;
        } finally {
            FileUtils.deleteQuietly(tmp.toFile());
        }
    }

    static int[] size(String s) throws KinoraException {
        String[] p = s.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            int w = Integer.parseInt(p[0]);
            int h = Integer.parseInt(p[1]);
            if (p.length == 2 && w >= 16 && h >= 16 && w <= 7680 && h <= 4320 && w % 2 == 0 && h % 2 == 0) {
                return new int[] {w, h};
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // fall through to the error
        }
        throw new KinoraException("--sizes: '" + s + "' is not WIDTHxHEIGHT with even sides from 16x16 to 7680x4320");
    }

    /** The still decoded at {@code w x h} for {@code frames} frames, through the effect (or straight) into H.264. */
    private Run measure(Path image, int w, int h, FrameRate rate, long frames, Effect effect, ParameterValues values, Path dir)
            throws Exception {
        System.gc();
        long t0 = System.nanoTime();
        try (FrameSource src = services.media().open(image, new DecodeRequest(0, frames - 1, rate, w, h));
                FrameSink sink = services.media().create(dir.resolve("out-" + System.nanoTime() + ".mp4"), EncodeSettings.h264(w, h, rate))) {
            if (effect == null) {
                VideoFrame f;
                while ((f = src.next()) != null) {
                    sink.write(f);
                }
            } else {
                effect.render(new EffectContext(values, src, sink, frames, new Profile(w, h, rate, 709), new ApplyJob()));
            }
            if (sink.framesWritten() != frames) {
                throw new KinoraException((effect == null ? "decode+encode" : EFFECT) + " wrote " + sink.framesWritten() + " of " + frames
                        + " frames at " + w + "x" + h);
            }
            sink.finish();
        }
        return new Run(frames, (System.nanoTime() - t0) / 1e9);
    }
}

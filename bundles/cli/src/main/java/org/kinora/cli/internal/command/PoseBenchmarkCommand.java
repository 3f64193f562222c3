package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
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
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTracks;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Profile;
import org.kinora.samples.SampleFigure;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kinora benchmark pose}: frames per second of the {@code pose-animate} effect at each size, through the pipeline
 * {@code kinora apply} runs (still decoded at the output size, the effect, H.264 encoding), against still -> H.264 alone
 * in the same run; and frames per second of pose extraction (decode + MoveNet + clean-up) on the rendered clip against
 * decoding it alone.
 */
@Command(name = "pose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure pose-animate: frames/s at 720p and 1080p (by default) of still -> pose-animate -> H.264 against"
                + " still -> H.264 alone, and frames/s of pose extraction (decode + MoveNet Thunder + gap filling and smoothing, as"
                + " kinora pose extract and track=clip:REF run it) on the rendered clip against decoding it alone.",
                "The character is the sample drawn figure (SampleFigure) drawn at each size with its mask and rest pose, so no"
                        + " model is needed for the effect itself; the track is samples/pose/wave.bvh. Pose extraction needs"
                        + " movenet-thunder (kinora models fetch movenet-thunder); without it that part is skipped."})
public final class PoseBenchmarkCommand implements Callable<Integer> {

    private static final String EFFECT = "pose-animate";

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "4", description = "Length of the output clip in seconds (default: 4).")
    double seconds;

    @Option(names = "--sizes", defaultValue = "1280x720,1920x1080", split = ",", paramLabel = "WxH",
            description = "Output sizes (default: 1280x720,1920x1080).")
    List<String> sizes;

    @Option(names = "--track", paramLabel = "FILE",
            description = "The pose track (default: samples/pose/wave.bvh in the Kinora checkout).")
    Path track;

    public PoseBenchmarkCommand(Services services) {
        this.services = services;
    }

    /** One measured run. */
    record Run(long frames, double seconds) {
        double fps() {
            return frames / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Effect effect = services.effects().require(EFFECT);
        Path trackFile = track != null ? track : InferenceBenchmarkCommand.home().resolve("samples/pose/wave.bvh");
        if (!Files.exists(trackFile)) {
            throw new KinoraException("pose track not found: " + trackFile + " (give one with --track)");
        }
        List<int[]> dims = new ArrayList<>();
        for (String s : sizes) {
            dims.add(MotionBrushBenchmarkCommand.size(s));
        }
        if (!(seconds > 0) || seconds > 600) {
            throw new KinoraException("--seconds must be above 0 and at most 600, not " + seconds);
        }
        FrameRate rate = FrameRate.FPS_25;
        long frames = Math.max(1, rate.frameAtSeconds(seconds));
        boolean movenet = services.inference().models().stream().anyMatch(m -> m.id().equals("movenet-thunder"));
        Path tmp = Files.createTempDirectory("kinora-bench-pose-");
        try {
            out.printf("benchmark: %s of the drawn sample figure along %s, %d frames at %s fps; devices: %s%n", EFFECT,
                    trackFile.getFileName(), frames, rate,
                    services.inference().devices().stream().filter(DeviceInfo::active).map(DeviceInfo::id).toList());
            out.println();
            out.printf("%-11s %8s %12s %12s %8s %14s %14s %8s%n", "size", "frames", "effect fps", "copy fps", "ratio", "extract fps",
                    "decode fps", "ratio");
            for (int[] d : dims) {
                Path dir = figure(tmp.resolve(d[0] + "x" + d[1]), d[0], d[1]);
                ParameterValues values = params(effect, trackFile, dir);
                // a few frames of each at this size first, so the encoder's and the renderer's first frames are not measured
                measure(dir, d[0], d[1], rate, Math.min(frames, 8), null, values, tmp.resolve("warm-copy.mp4"));
                measure(dir, d[0], d[1], rate, Math.min(frames, 8), effect, values, tmp.resolve("warm-effect.mp4"));
                Run copy = measure(dir, d[0], d[1], rate, frames, null, values, tmp.resolve("copy.mp4"));
                Path clip = tmp.resolve("animated-" + d[0] + ".mp4");
                Run full = measure(dir, d[0], d[1], rate, frames, effect, values, clip);
                String extract = "-";
                String decode = "-";
                String ratio = "-";
                if (movenet) {
                    extract(tmp.resolve("warm-effect.mp4"), rate, Math.min(frames, 8)); // loads the model
                    Run dec = decodeOnly(clip, rate, frames);
                    Run ext = extract(clip, rate, frames);
                    extract = String.format("%.2f", ext.fps());
                    decode = String.format("%.1f", dec.fps());
                    ratio = String.format("%.3f", ext.fps() / dec.fps());
                }
                out.printf("%-11s %8d %12.2f %12.1f %8.3f %14s %14s %8s%n", d[0] + "x" + d[1], frames, full.fps(), copy.fps(),
                        full.fps() / copy.fps(), extract, decode, ratio);
                out.flush();
            }
            out.println();
            out.println("effect fps: still -> pose-animate -> H.264; copy fps: still -> H.264 (same frames); extract fps: the rendered"
                    + " clip -> decode (at most " + PoseTracks.ANALYSIS_SIDE + " px a side) -> MoveNet Thunder -> gap filling + One Euro smoothing;"
                    + " decode fps: decoding it at full size alone; ratio: the first over the second." + (movenet ? "" : " (movenet-thunder is not installed: extraction skipped)"));
            return 0;
        } finally {
            FileUtils.deleteQuietly(tmp.toFile());
        }
    }

    /** The sample figure drawn at {@code w x h}: figure.png, mask.png and rest.json in {@code dir}. */
    private Path figure(Path dir, int w, int h) throws Exception {
        Files.createDirectories(dir);
        // the figure fills the frame's height, left of centre so root motion has room
        SampleFigure f = new SampleFigure(w, h, w * 0.4);
        ImageIO.write(f.still(), "png", dir.resolve("figure.png").toFile());
        ImageIO.write(f.mask(), "png", dir.resolve("mask.png").toFile());
        PoseTrack rest = new PoseTrack("sample figure", "kinora", 25, w, h, List.of(f.rest()));
        services.poseTracks().write(rest, dir.resolve("rest.json"));
        return dir;
    }

    private static ParameterValues params(Effect effect, Path trackFile, Path dir) throws KinoraException {
        Map<String, String> raw = new HashMap<>();
        raw.put("track", trackFile.toString());
        raw.put("rest", dir.resolve("rest.json").toString());
        raw.put("mask", dir.resolve("mask.png").toString());
        raw.put("when_short", "loop");
        return ParameterValues.resolve(effect.info().parameters(), raw);
    }

    /** The still decoded at {@code w x h} for {@code frames} frames, through the effect (or straight) into H.264. */
    private Run measure(Path dir, int w, int h, FrameRate rate, long frames, Effect effect, ParameterValues values, Path output)
            throws Exception {
        System.gc();
        long t0 = System.nanoTime();
        try (FrameSource src = services.media().open(dir.resolve("figure.png"), new DecodeRequest(0, frames - 1, rate, w, h));
                FrameSink sink = services.media().create(output, EncodeSettings.h264(w, h, rate))) {
            if (effect == null) {
                VideoFrame f;
                while ((f = src.next()) != null) {
                    sink.write(f);
                }
            } else {
                effect.check(values);
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

    private Run decodeOnly(Path clip, FrameRate rate, long frames) throws Exception {
        long t0 = System.nanoTime();
        long n = 0;
        try (FrameSource src = services.media().open(clip, new DecodeRequest(0, frames - 1, rate, 0, 0))) {
            while (src.next() != null) {
                n++;
            }
        }
        return new Run(n, (System.nanoTime() - t0) / 1e9);
    }

    private Run extract(Path clip, FrameRate rate, long frames) throws Exception {
        long t0 = System.nanoTime();
        PoseTrack t;
        // as kinora pose extract and a driving clip do: decoded at most PoseTracks.ANALYSIS_SIDE a side
        MediaInfo info = services.media().probe(clip);
        int[] size = PoseTracks.analysisSize(info.width(), info.height());
        try (FrameSource src = services.media().open(clip, new DecodeRequest(0, frames - 1, rate, size[0], size[1]))) {
            t = services.poseTracks().extract(src, clip.getFileName().toString(), rate.fps(), new ApplyJob());
        }
        if (t == null) {
            throw new KinoraException("pose extraction of " + clip + " was cancelled");
        }
        return new Run(t.size(), (System.nanoTime() - t0) / 1e9);
    }
}

package org.kinora.cli.internal.command;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.commons.io.FileUtils;
import org.kinora.cli.internal.Services;
import org.kinora.cli.internal.apply.ApplyJob;
import org.kinora.core.KinoraException;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
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
 * {@code kinora benchmark styles}: every style at 720p and 1080p, each stage of the pipeline alone (decode, the style
 * model on the inference service, encode) and the whole pipeline, in the same run; the pipeline's fps over its slowest
 * stage's says how well decoding, inference and encoding overlap (1 = perfectly).
 */
@Command(name = "styles", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the style-transfer pipeline for every style (built-in, trained and your own image-to-image models)"
                + " at 720p and 1080p: decode alone, encode (H.264) alone, each style's model alone on the inference service (frames"
                + " already in memory, batched as the effect sends them), and decode -> style -> encode; then the pipeline's fps"
                + " over the slowest stage's (1.0 = the stages overlap perfectly). With temporal consistency on, its cost is shown"
                + " separately."})
public final class StyleBenchmarkCommand implements Callable<Integer> {

    private static final String EFFECT = "style-transfer";
    /** Most elements per request, as the effect sends them (two 1080p frames, four 720p ones). */
    private static final long BATCH_ELEMENTS = 16L * 1024 * 1024;

    private final Services services;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--frames", defaultValue = "40", description = "Frames per clip (default: 40, at 25 fps).")
    int frames;

    @Option(names = "--sizes", defaultValue = "1280x720,1920x1080", split = ",", paramLabel = "WxH",
            description = "Frame sizes (default: 1280x720,1920x1080).")
    List<String> sizes;

    @Option(names = "--styles", split = ",", paramLabel = "STYLE",
            description = "Styles to measure (default: every built-in style and every image-to-image model installed).")
    List<String> styles;

    public StyleBenchmarkCommand(Services services) {
        this.services = services;
    }

    private record Stage(String name, double fps) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Effect effect = services.effects().require(EFFECT);
        boolean hasTemporal = effect.info().parameters().stream().anyMatch(p -> p.name().equals("temporal"));
        List<String> names = styles == null || styles.isEmpty() ? installedStyles() : styles;
        if (frames < 8 || frames > 10_000) {
            throw new KinoraException("--frames must be in [8, 10000], got " + frames);
        }
        FrameRate rate = FrameRate.FPS_25;
        out.printf("benchmark styles: %s; %d frames per clip; devices: %s%n", String.join(", ", names), frames,
                services.inference().devices().stream().filter(DeviceInfo::active).map(DeviceInfo::id).toList());
        Path tmp = Files.createTempDirectory("kinora-bench-styles-");
        try {
            for (String size : sizes) {
                int[] wh = MotionBrushBenchmarkCommand.size(size);
                int w = wh[0];
                int h = wh[1];
                out.printf("%n%dx%d: generating the clip ...%n", w, h);
                Path clip = SampleMedia.write(services.media(), SampleScene.MEADOW, tmp.resolve("clip-" + w + "x" + h + ".mp4"), w, h,
                        rate, frames);
                List<VideoFrame> decoded = new ArrayList<>();
                Stage decode = decode(clip, rate, w, h, decoded);
                Stage encode = encode(decoded, tmp, rate, w, h);
                out.printf("  decode alone %.1f fps, H.264 encode alone %.1f fps%n", decode.fps(), encode.fps());
                out.printf("  %-22s %11s %13s %15s %9s %13s%s%n", "style", "model fps", "pipeline fps", "/ slowest stage", "slowest",
                        "serial fps",
                        hasTemporal ? "   pipeline fps temporal=on (ratio to off)" : "");
                for (String style : names) {
                    Stage model = model(style, decoded);
                    Stage slowest = java.util.stream.Stream.of(decode, encode, model).min(java.util.Comparator.comparingDouble(Stage::fps))
                            .orElseThrow();
                    Map<String, String> params = new LinkedHashMap<>();
                    params.put("style", style);
                    if (hasTemporal) {
                        params.put("temporal", "false");
                    }
                    double pipeline = pipeline(effect, params, clip, rate, w, h, tmp);
                    String temporal = "";
                    if (hasTemporal) {
                        params.put("temporal", "true");
                        double on = pipeline(effect, params, clip, rate, w, h, tmp);
                        temporal = String.format(Locale.ROOT, "   %8.2f (%.2f)", on, on / pipeline);
                    }
                    // what the same stages would give one after another, with no overlap at all
                    double serial = 1 / (1 / decode.fps() + 1 / model.fps() + 1 / encode.fps());
                    out.printf(Locale.ROOT, "  %-22s %11.2f %13.2f %15.2f %9s %13.2f%s%n", style, model.fps(), pipeline,
                            pipeline / slowest.fps(), slowest.name(), serial, temporal);
                    out.flush();
                }
            }
            out.println();
            out.println("model fps: the style alone on frames in memory; pipeline fps: decode -> style -> encode as `kinora apply` runs it"
                    + (hasTemporal ? " (temporal=false, and with temporal=true in the last column)" : "") + "; / slowest stage: pipeline"
                    + " fps over the slowest stage's alone (1.0 = the stages overlap perfectly; on a CPU the stages share its cores);"
                    + " serial fps: the three stages one after another.");
            return 0;
        } finally {
            FileUtils.deleteQuietly(tmp.toFile());
        }
    }

    /** The built-in styles and every image-to-image model, as the effect's {@code style} parameter names them. */
    private List<String> installedStyles() {
        List<String> names = new ArrayList<>();
        for (ModelInfo m : services.inference().models()) {
            if ("image-to-image".equals(m.task())) {
                names.add(m.id().startsWith("style-") && "builtin".equals(m.format()) ? m.id().substring("style-".length()) : m.id());
            }
        }
        return names;
    }

    private Stage decode(Path clip, FrameRate rate, int w, int h, List<VideoFrame> keep) throws Exception {
        long t0 = System.nanoTime();
        try (FrameSource src = services.media().open(clip, new DecodeRequest(0, frames - 1, rate, w, h))) {
            VideoFrame f;
            while ((f = src.next()) != null) {
                ByteBuffer copy = ByteBuffer.allocateDirect(f.byteCount()).put(f.rgb().duplicate().rewind()).flip();
                keep.add(new VideoFrame(f.index(), f.width(), f.height(), copy));
            }
        }
        return new Stage("decode", keep.size() / ((System.nanoTime() - t0) / 1e9));
    }

    private Stage encode(List<VideoFrame> decoded, Path dir, FrameRate rate, int w, int h) throws Exception {
        long t0 = System.nanoTime();
        try (FrameSink sink = services.media().create(dir.resolve("encode-" + System.nanoTime() + ".mp4"), EncodeSettings.h264(w, h, rate))) {
            for (VideoFrame f : decoded) {
                sink.write(f);
            }
            sink.finish();
        }
        return new Stage("encode", decoded.size() / ((System.nanoTime() - t0) / 1e9));
    }

    /** The style's model alone, fed from memory in the batches the effect sends; one warm-up batch first. */
    private Stage model(String style, List<VideoFrame> decoded) throws Exception {
        String id = services.inference().models().stream().anyMatch(m -> m.id().equals("style-" + style) && "builtin".equals(m.format()))
                ? "style-" + style : style;
        VideoFrame f0 = decoded.get(0);
        int batch = (int) Math.max(1, Math.min(4, BATCH_ELEMENTS / ((long) f0.width() * f0.height() * 3)));
        List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i + batch <= decoded.size(); i += batch) {
            ByteBuffer data = ByteBuffer.allocateDirect(batch * f0.byteCount());
            for (int k = 0; k < batch; k++) {
                data.put(decoded.get(i + k).rgb().duplicate().rewind());
            }
            requests.add(new InferenceRequest(id, List.of(new Tensor("frames", TensorType.UINT8,
                    new long[] {batch, f0.height(), f0.width(), 3}, data.flip())), Map.of("strength", 1.0), "benchmark", Priority.BATCH));
        }
        services.inference().infer(requests.get(0));
        long t0 = System.nanoTime();
        for (InferenceRequest r : requests) {
            services.inference().infer(r);
        }
        return new Stage("model", requests.size() * batch / ((System.nanoTime() - t0) / 1e9));
    }

    private double pipeline(Effect effect, Map<String, String> params, Path clip, FrameRate rate, int w, int h, Path dir) throws Exception {
        ParameterValues values = ParameterValues.resolve(effect.info().parameters(), params);
        long t0 = System.nanoTime();
        try (FrameSource src = services.media().open(clip, new DecodeRequest(0, frames - 1, rate, w, h));
                FrameSink sink = services.media().create(dir.resolve("style-" + System.nanoTime() + ".mp4"), EncodeSettings.h264(w, h, rate))) {
            effect.render(new EffectContext(values, src, sink, frames, new Profile(w, h, rate, 709), new ApplyJob()));
            if (sink.framesWritten() != frames) {
                throw new KinoraException(EFFECT + " wrote " + sink.framesWritten() + " of " + frames + " frames");
            }
            sink.finish();
        }
        return frames / ((System.nanoTime() - t0) / 1e9);
    }
}

package org.kinora.effect.motionbrush.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kinora.core.effect.Effect;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.EffectId;
import org.kinora.core.effect.EffectInfo;
import org.kinora.core.effect.InputKind;
import org.kinora.core.effect.Still;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterSpec;
import org.kinora.core.param.ParameterValues;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code motion-brush} effect: animates painted regions of a still. It reads the still, turns the brush file
 * ({@link BrushFile}) into dense motion fields ({@link MotionFields}) and has the inference service's
 * {@code motion-brush} model render the frames in chunks (Eulerian integration of the fields and symmetric forward
 * splatting, Holynski et al. 2021), one chunk in flight while the previous one is written. Static brushes become the
 * model's {@code hold} input (a freeze mask), not zero motion.
 */
@Component(service = Effect.class)
@EffectId(MotionBrushEffect.ID)
public final class MotionBrushEffect implements Effect {

    /** The effect id, also the model's. */
    public static final String ID = "motion-brush";
    /** The model that renders the frames. */
    public static final String MODEL = "motion-brush";

    static final String BRUSHES = "brushes";
    static final String LOOP = "loop";
    static final String DURATION = "duration";
    static final String CYCLE = "cycle";
    static final String CROSSFADE = "crossfade";

    /** Most frames per model call. */
    static final int MAX_CHUNK = 8;
    /** Most output bytes per model call (eight 1080p frames). */
    static final long MAX_CHUNK_BYTES = 8L * 1920 * 1080 * 3;
    /** Longest clip rendered (frames): an hour at 60 fps. */
    static final long MAX_FRAMES = 3600L * 60;

    private static final EffectInfo INFO = new EffectInfo(ID, "Motion brush",
            "Animates painted regions of a still: a brush file paints regions (polygons or mask images) and gives each a "
                    + "motion (flow, sway, ripple, rotate, zoom, or a text cue such as 'water flowing left'); the rest stays "
                    + "still. Method: Eulerian motion fields with symmetric splatting (Holynski et al. 2021, 'Animating "
                    + "Pictures with Eulerian Motion Fields'): the brushes become a dense motion field, it is integrated "
                    + "over time and the still is forward-splatted, blending forward and backward splats so the clip loops "
                    + "seamlessly; the per-pixel work runs on the inference service. Where Holynski et al. crossfade the two "
                    + "splats over the whole loop at once (every moving thing shows twice mid-loop), each pixel here crossfades "
                    + "over a part of the loop at its own time (a staggered crossfade, as the per-pixel phases of cinemagraph "
                    + "loops, Liao et al. 2013), so at any moment most of the picture shows one copy at full contrast. A "
                    + "static brush is a freeze mask: the motion runs on behind it and the still is shown over its region.",
            InputKind.STILL,
            List.of(ParameterSpec.text(BRUSHES, "",
                            "Path of the brush file (JSON: {\"brushes\": [{\"region\": ..., \"motion\" | \"cue\" | \"static\": ...}]}); required"),
                    ParameterSpec.bool(LOOP, true, "Make the last frame flow into the first without a jump (a seamless loop)"),
                    ParameterSpec.number(CYCLE, 0, 600, 3,
                            "With loop: length in seconds of one loop cycle; the clip repeats cycles of about this length (the"
                                    + " nearest length that divides the clip), so far-moving things do not show as a double image"
                                    + " mid-loop; 0 = one cycle over the whole clip"),
                    ParameterSpec.number(CROSSFADE, 0.05, 1, 0.3,
                            "With loop: fraction of a cycle over which each pixel crossfades from the forward to the backward"
                                    + " splat, at its own time; smaller shows fewer double images, each for a shorter blend; 1 = all"
                                    + " pixels at once over the whole cycle (Holynski et al.'s symmetric splatting)"),
                    ParameterSpec.number(DURATION, 0, 3600, 0,
                            "Length of the animation in seconds in overlay mode (--mode overlay); 0 = the clip's length, as in replace mode")));

    private final InferenceService inference;
    private final int maxChunk;

    @Activate
    public MotionBrushEffect(@Reference(name = "inference") InferenceService inference) {
        this(inference, MAX_CHUNK);
    }

    /** For tests: a different chunk size. */
    MotionBrushEffect(InferenceService inference, int maxChunk) {
        this.inference = inference;
        this.maxChunk = Math.max(1, maxChunk);
    }

    @Override
    public EffectInfo info() {
        return INFO;
    }


    @Override
    public void render(EffectContext context) throws EffectException, InterruptedException {
        String brushes = context.parameters().text(BRUSHES);
        if (brushes == null || brushes.isBlank()) {
            throw new EffectException(ID + ": parameter 'brushes' is required: the path of a brush file (JSON)");
        }
        Still input = Still.read(context, ID);
        VideoFrame still = input.frame();
        int[] stillSize = {input.width(), input.height()};
        BrushFile file;
        try {
            file = BrushFileReader.read(Path.of(brushes), stillSize[0], stillSize[1]);
        } catch (BrushFileException e) {
            throw new EffectException(ID + ": " + e.getMessage(), e);
        }
        double fps = context.profile().frameRate().fps();
        // the runner asks for the clip's length, or for the overlay's duration (a duration is refused in replace mode)
        long frames = context.frameCount();
        if (frames < 1 || frames > MAX_FRAMES) {
            throw new EffectException(ID + ": " + frames + " frames asked; 1 to " + MAX_FRAMES + " can be rendered");
        }
        boolean loop = context.parameters().bool(LOOP);
        int cycle = loop ? cycleFrames((int) frames, context.parameters().number(CYCLE) * fps) : (int) frames;
        MotionFields fields = MotionFields.build(file.brushes(), stillSize, still.width(), still.height(), fps, cycle, loop);
        double crossfade = context.parameters().number(CROSSFADE);
        new Run(context.job(), still, fields, (int) frames, cycle, loop, crossfade).render(context.output());
    }

    /**
     * Frames in one loop cycle: {@code frames / k} for the whole number of cycles {@code k} that brings the cycle closest
     * to {@code target} frames (ties: fewer cycles; never shorter than half the target, so a clip of a prime length stays
     * one cycle), so every cycle, and the clip, loops seamlessly. Symmetric splatting
     * blends a forward and a backward splat; mid-cycle they are apart by the distance moved in a cycle, so shorter cycles
     * keep fast things from doubling.
     */
    static int cycleFrames(int frames, double target) {
        if (!(target >= 1) || target >= frames) {
            return frames;
        }
        int best = frames;
        for (int k = 2; k <= frames; k++) {
            if (frames % k == 0 && frames / k >= target / 2 && Math.abs(frames / k - target) < Math.abs(best - target)) {
                best = frames / k;
            }
        }
        return best;
    }

    /** A chunk of frames asked of the model, and its answer. */
    private record Chunk(int start, int count, CompletableFuture<InferenceResult> result) {
        String range() {
            return start + ".." + (start + count - 1);
        }
    }

    /** One render. */
    private final class Run {
        private final JobContext job;
        private final int width;
        private final int height;
        private final int total;
        private final int cycle;
        private final boolean loop;
        private final double crossfade;
        private final List<Tensor> inputs;
        private final int chunk;
        private int written;

        /** {@code total} frames written, repeating cycles of {@code cycle} frames rendered by the model. */
        Run(JobContext job, VideoFrame still, MotionFields fields, int total, int cycle, boolean loop, double crossfade) {
            this.job = job;
            this.width = still.width();
            this.height = still.height();
            this.total = total;
            this.cycle = cycle;
            this.loop = loop;
            this.crossfade = crossfade;
            long h = height;
            long w = width;
            this.inputs = List.of(
                    new Tensor("image", TensorType.UINT8, new long[] {1, h, w, 3}, still.rgb().duplicate().rewind()),
                    new Tensor("flow", TensorType.FP32, new long[] {1, h, w, 2}, fields.flowBytes()),
                    new Tensor("wave", TensorType.FP32, new long[] {1, h, w, 4}, fields.waveBytes()),
                    new Tensor("hold", TensorType.FP32, new long[] {1, h, w, 1}, fields.holdBytes()));
            this.chunk = (int) Math.max(1, Math.min(maxChunk, MAX_CHUNK_BYTES / (w * h * 3)));
        }

        void render(FrameSink output) throws EffectException, InterruptedException {
            boolean done = false;
            try {
                Chunk next = submit(0);
                while (next != null) {
                    Chunk c = next;
                    InferenceResult result = await(c);
                    if (result == null) {
                        return; // cancelled
                    }
                    // the next chunk renders while this one is written
                    next = c.start() + c.count() < total ? submit(c.start() + c.count()) : null;
                    write(output, c, result);
                    job.progress(written, total);
                }
                done = true;
            } finally {
                if (!done && job.jobId() != null) {
                    inference.cancel(job.jobId()); // drop what is still queued: cancelled, failed or interrupted
                }
            }
        }

        /** Output frames from {@code start}: the model renders their place in the cycle, never across a cycle's end. */
        private Chunk submit(int start) {
            int inCycle = start % cycle;
            int count = Math.min(chunk, Math.min(cycle - inCycle, total - start));
            Map<String, Object> parameters = Map.of("total", cycle, "start", inCycle, "count", count, "loop", loop,
                    "crossfade", crossfade);
            List<Tensor> fresh = inputs.stream()
                    .map(t -> new Tensor(t.name(), t.type(), t.shape(), t.data().duplicate().rewind())).toList();
            Priority priority = job.interactive() ? Priority.INTERACTIVE : Priority.BATCH;
            return new Chunk(start, count, inference.submit(new InferenceRequest(MODEL, fresh, parameters, job.jobId(), priority)));
        }

        /** The chunk's result, or {@code null} when the job was cancelled meanwhile. */
        private InferenceResult await(Chunk c) throws EffectException, InterruptedException {
            while (true) {
                if (job.isCancelled()) {
                    return null;
                }
                try {
                    return c.result().get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // check cancellation again
                } catch (CancellationException e) {
                    if (job.isCancelled()) {
                        return null;
                    }
                    throw new EffectException(ID + ": frames " + c.range() + " were cancelled by the inference service", e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    String why = cause instanceof InferenceException ? cause.getMessage() : String.valueOf(cause);
                    throw new EffectException(ID + ": frames " + c.range() + " failed: " + why, cause);
                }
            }
        }

        private void write(FrameSink output, Chunk c, InferenceResult result) throws EffectException, InterruptedException {
            Tensor t = result.output("frames").orElseThrow(() -> new EffectException(
                    ID + ": model '" + MODEL + "' returned no 'frames' for frames " + c.range()));
            long[] shape = t.shape();
            if (t.type() != TensorType.UINT8 || shape.length != 4 || shape[0] != c.count() || shape[1] != height || shape[2] != width
                    || shape[3] != 3) {
                throw new EffectException(ID + ": model '" + MODEL + "' returned " + t + " for frames " + c.range() + "; expected UINT8 ["
                        + c.count() + ", " + height + ", " + width + ", 3]");
            }
            int bytes = width * height * 3;
            ByteBuffer data = t.data();
            for (int i = 0; i < c.count(); i++) {
                if (job.isCancelled()) {
                    return;
                }
                ByteBuffer pixels = ByteBuffer.allocate(bytes).put(data.slice(i * bytes, bytes)).flip();
                VideoFrame f = new VideoFrame(written, width, height, pixels);
                try {
                    output.write(f);
                } catch (MediaException e) {
                    throw new EffectException(ID + ": writing frame " + f.index() + " failed: " + e.getMessage(), e);
                }
                written++;
            }
        }
    }
}

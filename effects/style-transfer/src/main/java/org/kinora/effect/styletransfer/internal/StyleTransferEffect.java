package org.kinora.effect.styletransfer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.OpticalFlow;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterSpec;
import org.kinora.core.param.ParameterValues;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code style-transfer} effect: sends a clip's frames in small batches to the inference service's
 * {@code style-<style>} model and writes the results in order. One batch is in flight on the service while the previous
 * result is written, so decoding, inference and encoding overlap.
 */
@Component(service = Effect.class)
@EffectId(StyleTransferEffect.ID)
public final class StyleTransferEffect implements Effect {

    /** The effect id. */
    public static final String ID = "style-transfer";
    /** The built-in styles; model {@code style-<name>} on the inference service. */
    public static final List<String> STYLES = List.of("cartoon", "pencil", "paint", "starry");

    static final String STYLE = "style";
    static final String STRENGTH = "strength";
    static final String TEMPORAL = "temporal";

    /** Most frames per request. */
    static final int MAX_BATCH = 4;
    /** Most elements per request (two 1080p frames, four 720p ones). */
    static final long MAX_BATCH_ELEMENTS = 16L * 1024 * 1024;

    private static final EffectInfo INFO = new EffectInfo(ID, "Style transfer",
            "Restyles a clip on the inference service's device (the GPU where there is one). Built-in styles: the classical"
                    + " algorithms cartoon, pencil and paint, run as tensor operations, and starry, a feed-forward network Kinora"
                    + " trained; or your own image-to-image network (TorchScript or ONNX, `kinora models add ... --task"
                    + " image-to-image`), tiled with overlap when frames are larger than it takes.",
            InputKind.VIDEO,
            List.of(ParameterSpec.text(STYLE, "cartoon",
                            "A built-in style, or the id of an image-to-image model in the models folder (a style network"
                                    + " you added with `kinora models add ID FILE --task image-to-image`). Built-in: cartoon:"
                                    + " edge-preserving smoothing (guided filter), color quantization and Sobel ink lines;"
                                    + " pencil: color-dodge pencil sketch with hatching; paint: Kuwahara filter with a color boost;"
                                    + " starry: a small feed-forward style network Kinora trained itself on Van Gogh's The Starry Night"
                                    + " (random-feature Gram loss, not VGG; `kinora train-style` retrains it)"),
                    ParameterSpec.number(STRENGTH, 0, 1, 1.0,
                            "How much of the style to apply: 0 keeps the clip as it is, 1 is the full style"),
                    ParameterSpec.bool(TEMPORAL, true,
                            "Temporal consistency against flicker: OpenCV DIS optical flow between consecutive source frames "
                                    + "warps the previous stylized frame onto the current one, which is blended in where the "
                                    + "flow is reliable (forward-backward and photometric checks); occlusions and cuts take "
                                    + "the frame's own stylization")));

    private final InferenceService inference;
    private final OpticalFlow flow;
    private final int maxBatch;

    @Activate
    public StyleTransferEffect(@Reference(name = "inference") InferenceService inference,
            @Reference(name = "flow") OpticalFlow flow) {
        this(inference, flow, MAX_BATCH);
    }

    /** For tests: a different batch size, and no optical flow service (frames pass {@code temporal} unblended). */
    StyleTransferEffect(InferenceService inference, int maxBatch) {
        this(inference, null, maxBatch);
    }

    /** For tests: a different batch size. */
    StyleTransferEffect(InferenceService inference, OpticalFlow flow, int maxBatch) {
        this.inference = inference;
        this.flow = flow;
        this.maxBatch = Math.max(1, maxBatch);
    }

    @Override
    public EffectInfo info() {
        return INFO;
    }

    /** The style must name a built-in style or an image-to-image model the service has. */
    @Override
    public void check(ParameterValues parameters) throws EffectException {
        StyleModels.resolve(inference, parameters.text(STYLE));
    }

    /** Frames sent together, and the service's answer. */
    private record Batch(long first, List<VideoFrame> frames, CompletableFuture<InferenceResult> result) {
    }

    @Override
    public void render(EffectContext context) throws EffectException, InterruptedException {
        String model = StyleModels.resolve(inference, context.parameters().text(STYLE));
        double strength = context.parameters().number(STRENGTH);
        FrameSource input = context.input();
        if (input == null) {
            throw new EffectException(ID + ": needs a video clip as input");
        }
        try (TemporalConsistency temporal = TemporalConsistency.start(context.parameters().bool(TEMPORAL), flow, inference,
                context.job(), ID)) {
            new Run(context, model, strength, temporal).render(input, context.output());
        }
    }

    /** One render: the reading, in-flight and writing state. */
    private final class Run {
        private final JobContext job;
        private final String model;
        private final Map<String, Object> parameters;
        private final long total;
        private VideoFrame carried;
        private boolean ended;
        private long read;
        private long written;
        private VideoFrame last;
        private final TemporalConsistency temporal;

        Run(EffectContext context, String model, double strength, TemporalConsistency temporal) {
            this.temporal = temporal;
            this.job = context.job();
            this.model = model;
            this.parameters = Map.of(STRENGTH, strength);
            this.total = context.frameCount();
        }

        void render(FrameSource input, FrameSink output) throws EffectException, InterruptedException {
            Deque<Batch> inFlight = new ArrayDeque<>();
            boolean done = false;
            try {
                while (written < total) {
                    if (job.isCancelled()) {
                        return;
                    }
                    // keep one batch queued behind the one being waited for
                    while (inFlight.size() < 2 && !ended) {
                        Batch b = nextBatch(input);
                        if (b == null) {
                            break;
                        }
                        inFlight.add(b);
                    }
                    Batch b = inFlight.poll();
                    if (b == null) {
                        break;
                    }
                    InferenceResult result = await(b);
                    if (result == null) {
                        return; // cancelled
                    }
                    write(output, b, result);
                    job.progress(written, total);
                }
                padToTotal(output);
                done = true;
            } finally {
                if (!done && job.jobId() != null) {
                    inference.cancel(job.jobId()); // drop what is still queued: cancelled, failed or interrupted
                }
            }
        }

        private Batch nextBatch(FrameSource input) throws EffectException, InterruptedException {
            List<VideoFrame> frames = new ArrayList<>();
            long first = read;
            while (read < total) {
                VideoFrame f = carried;
                carried = null;
                if (f == null) {
                    try {
                        f = input.next();
                    } catch (MediaException e) {
                        throw new EffectException(ID + ": reading frame " + read + " failed: " + e.getMessage(), e);
                    }
                }
                if (f == null) {
                    ended = true;
                    break;
                }
                if (!frames.isEmpty() && (f.width() != frames.get(0).width() || f.height() != frames.get(0).height())) {
                    carried = f; // a size change starts a new batch
                    break;
                }
                frames.add(f);
                temporal.read(f);
                read++;
                if (frames.size() >= batchSize(f)) {
                    break;
                }
            }
            if (read >= total) {
                ended = true;
            }
            if (frames.isEmpty()) {
                return null;
            }
            return new Batch(first, frames, inference.submit(request(frames)));
        }

        private int batchSize(VideoFrame f) {
            long perFrame = (long) f.width() * f.height() * 3;
            return (int) Math.max(1, Math.min(maxBatch, MAX_BATCH_ELEMENTS / perFrame));
        }

        private InferenceRequest request(List<VideoFrame> frames) {
            VideoFrame f0 = frames.get(0);
            int bytes = f0.byteCount();
            ByteBuffer data = ByteBuffer.allocate(bytes * frames.size());
            for (VideoFrame f : frames) {
                data.put(f.rgb().duplicate().rewind());
            }
            data.flip();
            Tensor t = new Tensor("frames", TensorType.UINT8, new long[] {frames.size(), f0.height(), f0.width(), 3}, data);
            return new InferenceRequest(model, List.of(t), parameters, job.jobId(), job.interactive() ? Priority.INTERACTIVE : Priority.BATCH);
        }

        /** The batch's result, or {@code null} when the job was cancelled meanwhile. */
        private InferenceResult await(Batch b) throws EffectException, InterruptedException {
            while (true) {
                if (job.isCancelled()) {
                    return null;
                }
                try {
                    return b.result().get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // check cancellation again
                } catch (CancellationException e) {
                    if (job.isCancelled()) {
                        return null;
                    }
                    throw new EffectException(ID + ": frames " + range(b) + " were cancelled by the inference service", e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    String why = cause instanceof InferenceException ? cause.getMessage() : String.valueOf(cause);
                    throw new EffectException(ID + ": frames " + range(b) + " failed: " + why, cause);
                }
            }
        }

        private String range(Batch b) {
            return b.first() + ".." + (b.first() + b.frames().size() - 1);
        }

        private void write(FrameSink output, Batch b, InferenceResult result) throws EffectException, InterruptedException {
            Tensor t = result.output("frames").orElseThrow(() -> new EffectException(
                    ID + ": model '" + model + "' returned no 'frames' for frames " + range(b)));
            VideoFrame f0 = b.frames().get(0);
            int bytes = f0.byteCount();
            long[] shape = t.shape();
            if (t.type() != TensorType.UINT8 || shape.length != 4 || shape[0] != b.frames().size() || shape[1] != f0.height()
                    || shape[2] != f0.width() || shape[3] != 3) {
                throw new EffectException(ID + ": model '" + model + "' returned " + t + " for frames " + range(b));
            }
            ByteBuffer data = t.data();
            for (int i = 0; i < b.frames().size(); i++) {
                ByteBuffer pixels = ByteBuffer.allocate(bytes).put(data.slice(i * bytes, bytes)).flip();
                writeFrame(output, temporal.apply(new VideoFrame(written, f0.width(), f0.height(), pixels)));
            }
        }

        private void writeFrame(FrameSink output, VideoFrame f) throws EffectException, InterruptedException {
            try {
                output.write(f);
            } catch (MediaException e) {
                throw new EffectException(ID + ": writing frame " + f.index() + " failed: " + e.getMessage(), e);
            }
            last = f;
            written++;
        }

        /** A source that ends early (an estimated frame count) is held on its last frame: exactly {@code total} out. */
        private void padToTotal(FrameSink output) throws EffectException, InterruptedException {
            if (written >= total) {
                return;
            }
            if (last == null) {
                throw new EffectException(ID + ": the input clip has no frames (expected " + total + ")");
            }
            while (written < total) {
                if (job.isCancelled()) {
                    return;
                }
                writeFrame(output, new VideoFrame(written, last.width(), last.height(), last.rgb().duplicate()));
            }
            job.progress(written, total);
        }
    }
}

package org.kinora.effect.styletransfer.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kinora.core.effect.EffectException;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.FlowField;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.OpticalFlow;
import org.kinora.core.media.VideoFrame;

/**
 * Temporal consistency for a per-frame effect (the {@code temporal} parameter): each stylized frame is blended with the
 * previous output frame warped along the optical flow of the source frames, by the inference service's
 * {@code temporal-blend} model, which falls back to the stylized frame at occlusions and cuts.
 *
 * <p>The two flows of a frame (to the previous source frame and back, for the forward-backward check) are estimated on
 * a worker thread as soon as the frame is {@link #read}, and there too the previous source frame and the forward flow
 * are warped onto the frame's grid along the backward flow (OpenCV, {@link OpticalFlow#warp}), so all that is ready
 * while the frame's style batch is still on the service; only the warp of the previous output and the blend, which need
 * the previous output, run in write order ({@link #apply}). The model then does elementwise work only. Frames are read
 * at most two style batches ahead of the writer, which bounds what is held here.
 */
final class TemporalConsistency implements AutoCloseable {

    static final String MODEL = "temporal-blend";

    /**
     * What the worker prepares for one frame: the backward flow (on its grid: where each pixel was in the previous frame),
     * to warp the previous output with, and the blend model's tensors of it, of the forward flow warped along it and of
     * the previous source frame warped along it.
     */
    private record Flows(FlowField backward, Tensor backwardTensor, Tensor warpedForward, Tensor warpedPreviousSource) {
    }

    /** A frame read and not yet written: its source pixels and its flows (null: first frame, or a size change). */
    private record Pending(VideoFrame source, Future<Flows> flows) {
    }

    private final OpticalFlow flow;
    private final InferenceService inference;
    private final JobContext job;
    private final String effectId;
    private final ExecutorService worker;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private VideoFrame lastRead;
    private VideoFrame previousSource;
    private VideoFrame previousOutput;

    private TemporalConsistency(OpticalFlow flow, InferenceService inference, JobContext job, String effectId) {
        this.flow = flow;
        this.inference = inference;
        this.job = job;
        this.effectId = effectId;
        this.worker = flow == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, effectId + "-optical-flow");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param on   the {@code temporal} parameter
     * @param flow the optical flow service; {@code null} only in tests that run the effect without one, which makes
     *             this pass frames through
     */
    static TemporalConsistency start(boolean on, OpticalFlow flow, InferenceService inference, JobContext job, String effectId) {
        return new TemporalConsistency(on ? flow : null, inference, job, effectId);
    }

    /** Whether frames are blended (otherwise {@link #apply} returns them as they are). */
    boolean active() {
        return worker != null;
    }

    /** A source frame was read (in order): its flows to and from the previous one, and the warps, start on the worker. */
    void read(VideoFrame source) {
        if (!active()) {
            return;
        }
        VideoFrame prev = lastRead;
        Future<Flows> flows = null;
        if (prev != null && prev.width() == source.width() && prev.height() == source.height()) {
            flows = worker.submit(() -> {
                FlowField backward = flow.estimate(source, prev);
                FlowField forward = flow.estimate(prev, source);
                return new Flows(backward, tensor("backward", backward), tensor("warped_forward", flow.warp(forward, backward)),
                        rgb("warped_previous_source", flow.warp(prev, backward)));
            });
        }
        pending.add(new Pending(source, flows));
        lastRead = source;
    }

    /**
     * The frame to write for the next stylized frame (in order): the blend of it with the previous output, or the frame
     * itself for the first frame, after a size change, and when the job was cancelled meanwhile.
     */
    VideoFrame apply(VideoFrame stylized) throws EffectException, InterruptedException {
        if (!active()) {
            return stylized;
        }
        Pending p = pending.poll();
        if (p == null) {
            throw new IllegalStateException("frame " + stylized.index() + " was written before it was read");
        }
        VideoFrame out = stylized;
        if (p.flows() != null && previousOutput != null && previousOutput.width() == stylized.width()
                && previousOutput.height() == stylized.height()) {
            Flows flows = await(p.flows(), stylized.index(), "optical flow");
            if (flows != null) {
                VideoFrame warped = warpPrevious(flows.backward(), stylized.index());
                InferenceResult r = await(inference.submit(request(stylized, p.source(), flows, warped)), stylized.index(), "blend");
                if (r != null) {
                    out = frame(r, stylized);
                }
            }
        }
        previousOutput = out;
        previousSource = p.source();
        return out;
    }

    /** The previous output moved onto the current frame along its backward flow. */
    private VideoFrame warpPrevious(FlowField backward, long frame) throws EffectException {
        try {
            return flow.warp(previousOutput, backward);
        } catch (MediaException e) {
            throw new EffectException(effectId + ": temporal warp of the output before frame " + frame + " failed: "
                    + e.getMessage(), e);
        }
    }

    private InferenceRequest request(VideoFrame stylized, VideoFrame source, Flows flows, VideoFrame warpedPrevious) {
        return new InferenceRequest(MODEL, List.of(rgb("stylized", stylized), rgb("previous", previousOutput),
                rgb("warped_previous", warpedPrevious), rgb("source", source), rgb("previous_source", previousSource),
                flows.warpedPreviousSource(), flows.backwardTensor(), flows.warpedForward()),
                Map.of(), job.jobId(), Priority.BATCH);
    }

    private static Tensor rgb(String name, VideoFrame f) {
        return new Tensor(name, TensorType.UINT8, new long[] {1, f.height(), f.width(), 3}, f.rgb().duplicate().rewind());
    }

    /** A flow field as an FP32 tensor [1, H, W, 2] (a bulk copy into little-endian bytes). */
    private static Tensor tensor(String name, FlowField f) {
        ByteBuffer b = ByteBuffer.allocate(f.width() * f.height() * 2 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(f.dxdy().duplicate().rewind());
        return new Tensor(name, TensorType.FP32, new long[] {1, f.height(), f.width(), 2}, b);
    }

    private VideoFrame frame(InferenceResult r, VideoFrame stylized) throws EffectException {
        Tensor t = r.output("frames").orElseThrow(() -> new EffectException(
                effectId + ": model '" + MODEL + "' returned no 'frames' for frame " + stylized.index()));
        long[] s = t.shape();
        if (t.type() != TensorType.UINT8 || s.length != 4 || s[0] != 1 || s[1] != stylized.height() || s[2] != stylized.width()
                || s[3] != 3) {
            throw new EffectException(effectId + ": model '" + MODEL + "' returned " + t + " for frame " + stylized.index());
        }
        ByteBuffer px = ByteBuffer.allocate(stylized.byteCount()).put(t.data().duplicate().rewind()).flip();
        return stylized.withPixels(px);
    }

    /** The future's value, or {@code null} when the job was cancelled meanwhile. */
    private <T> T await(Future<T> f, long frame, String what) throws EffectException, InterruptedException {
        while (true) {
            if (job.isCancelled()) {
                return null;
            }
            try {
                return f.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // check cancellation again
            } catch (CancellationException e) {
                if (job.isCancelled()) {
                    return null;
                }
                throw new EffectException(effectId + ": temporal " + what + " for frame " + frame + " was cancelled", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
                String why = cause instanceof MediaException || cause instanceof InferenceException ? cause.getMessage() : String.valueOf(cause);
                throw new EffectException(effectId + ": temporal " + what + " for frame " + frame + " failed: " + why, cause);
            }
        }
    }

    /** Stops the flow worker; flows still being estimated are dropped. */
    @Override
    public void close() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }
}

package org.kinora.effect.pose.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;

/**
 * The inference service's models this bundle uses: MoveNet Thunder for keypoints (of a still's character, or of every
 * frame of a driving clip) and MediaPipe selfie segmentation for the character's mask.
 */
public final class PoseModels {

    /** COCO-17 keypoints of the most prominent person. */
    public static final String MOVENET = "movenet-thunder";
    /** Person mask. */
    public static final String SELFIE = "selfie-segmentation";

    private final InferenceService inference;

    public PoseModels(InferenceService inference) {
        this.inference = inference;
    }

    /** Sent to the service but not yet answered; {@link #await} gives the poses. */
    public record Pending(List<VideoFrame> frames, CompletableFuture<InferenceResult> result) {
    }

    /** Sends frames (all of one size) to MoveNet. */
    public Pending submitKeypoints(List<VideoFrame> frames, JobContext job) {
        VideoFrame first = frames.get(0);
        int bytes = first.byteCount();
        ByteBuffer all = ByteBuffer.allocate(bytes * frames.size());
        for (VideoFrame f : frames) {
            all.put(f.rgb().duplicate().rewind());
        }
        Tensor image = new Tensor("image", TensorType.UINT8, new long[] {frames.size(), first.height(), first.width(), 3}, all.flip());
        return new Pending(frames, submit(MOVENET, image, job));
    }

    /**
     * The poses of a MoveNet call, in pixels of the frames, or {@code null} when the job was cancelled.
     *
     * @throws InferenceException when the model is missing or fails
     */
    public List<Pose> await(Pending pending, JobContext job) throws InferenceException, InterruptedException {
        InferenceResult r = InferenceService.await(pending.result(), MOVENET, job);
        if (r == null) {
            return null;
        }
        Tensor t = r.output("keypoints").orElseThrow(() -> new InferenceException("model '" + MOVENET + "' returned no 'keypoints'"));
        FloatBuffer k = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        if (t.type() != TensorType.FP32 || k.remaining() != pending.frames().size() * Joint.COUNT * 3) {
            throw new InferenceException("model '" + MOVENET + "' returned " + t + " for " + pending.frames().size() + " frames");
        }
        List<Pose> poses = new ArrayList<>();
        for (int i = 0; i < pending.frames().size(); i++) {
            VideoFrame f = pending.frames().get(i);
            float[] x = new float[Joint.COUNT];
            float[] y = new float[Joint.COUNT];
            float[] s = new float[Joint.COUNT];
            for (int j = 0; j < Joint.COUNT; j++) {
                int o = (i * Joint.COUNT + j) * 3;
                // MoveNet gives y, x in [0, 1] of the frame; pixel centres sit at (i + 0.5) / size
                y[j] = k.get(o) * f.height() - 0.5f;
                x[j] = k.get(o + 1) * f.width() - 0.5f;
                s[j] = Math.max(0, Math.min(1, k.get(o + 2)));
            }
            poses.add(new Pose(x, y, s));
        }
        return poses;
    }

    /**
     * The person mask of a picture, {@code width * height} values in [0, 1], or {@code null} when cancelled. Selfie
     * segmentation looks at a square-ish crop around the person ({@code box}: x0, y0, x1, y1), where the person fills
     * the network's view as it was trained; outside the crop the mask is 0.
     */
    public float[] mask(VideoFrame frame, int[] box, JobContext job) throws InferenceException, InterruptedException {
        int w = frame.width();
        int cw = box[2] - box[0];
        int chh = box[3] - box[1];
        ByteBuffer crop = ByteBuffer.allocate(cw * chh * 3);
        ByteBuffer src = frame.rgb().duplicate();
        for (int y = 0; y < chh; y++) {
            crop.put(src.slice(((box[1] + y) * w + box[0]) * 3, cw * 3));
        }
        Tensor image = new Tensor("image", TensorType.UINT8, new long[] {1, chh, cw, 3}, crop.flip());
        InferenceResult r = InferenceService.await(submit(SELFIE, image, job), SELFIE, job);
        if (r == null) {
            return null;
        }
        Tensor t = r.output("mask").orElseThrow(() -> new InferenceException("model '" + SELFIE + "' returned no 'mask'"));
        FloatBuffer m = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        if (m.remaining() != cw * chh) {
            throw new InferenceException("model '" + SELFIE + "' returned " + t + " for a " + cw + "x" + chh + " crop");
        }
        float[] out = new float[w * frame.height()];
        for (int y = 0; y < chh; y++) {
            m.get(y * cw, out, (box[1] + y) * w + box[0], cw);
        }
        return out;
    }

    private CompletableFuture<InferenceResult> submit(String model, Tensor input, JobContext job) {
        Priority priority = job.interactive() ? Priority.INTERACTIVE : Priority.BATCH;
        return inference.submit(new InferenceRequest(model, List.of(input), Map.of(), job.jobId(), priority));
    }
}

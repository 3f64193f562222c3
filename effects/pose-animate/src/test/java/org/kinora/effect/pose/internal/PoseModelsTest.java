package org.kinora.effect.pose.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.testing.RecordingJob;

/** What the bundle sends to MoveNet and selfie segmentation and how it reads their answers. */
class PoseModelsTest {

    static final int W = 20;
    static final int H = 10;

    static VideoFrame frame() {
        byte[] px = new byte[W * H * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) i;
        }
        return new VideoFrame(0, W, H, ByteBuffer.wrap(px));
    }

    /** Answers every call with the given outputs. */
    static Fakes.NoInference answering(Tensor... outputs) {
        return new Fakes.NoInference() {
            @Override
            public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
                calls.incrementAndGet();
                return CompletableFuture.completedFuture(new InferenceResult(request.modelId(), "cpu()", List.of(outputs)));
            }
        };
    }

    static Tensor floats(String name, long[] shape, float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return new Tensor(name, TensorType.FP32, shape, b.flip());
    }

    @Test
    void keypointsAreReadAsYXScoreOfTheFrameWithScoresClamped() throws Exception {
        float[] k = new float[Joint.COUNT * 3];
        k[0] = 0.25f; // nose y
        k[1] = 0.5f; // nose x
        k[2] = 1.2f; // a score above 1 from a sloppy model
        k[3 * Joint.LEFT_HIP.ordinal()] = 0.95f;
        k[3 * Joint.LEFT_HIP.ordinal() + 1] = 0.05f;
        k[3 * Joint.LEFT_HIP.ordinal() + 2] = -0.1f;
        PoseModels models = new PoseModels(answering(floats("keypoints", new long[] {1, 17, 3}, k)));
        List<Pose> poses = models.await(models.submitKeypoints(List.of(frame()), new RecordingJob()), new RecordingJob());
        Pose p = poses.get(0);
        assertEquals(0.5f * W - 0.5f, p.x(Joint.NOSE), 1e-5);
        assertEquals(0.25f * H - 0.5f, p.y(Joint.NOSE), 1e-5);
        assertEquals(1f, p.score(Joint.NOSE));
        assertEquals(0.05f * W - 0.5f, p.x(Joint.LEFT_HIP), 1e-5);
        assertEquals(0f, p.score(Joint.LEFT_HIP));
    }

    @Test
    void anAnswerWithoutKeypointsOrTooFewIsAnErrorNamingTheModel() throws Exception {
        PoseModels none = new PoseModels(answering(floats("heatmaps", new long[] {1}, 0)));
        InferenceException e = assertThrows(InferenceException.class,
                () -> none.await(none.submitKeypoints(List.of(frame(), frame()), new RecordingJob()), new RecordingJob()));
        assertTrue(e.getMessage().contains("movenet-thunder") && e.getMessage().contains("'keypoints'"), e.getMessage());
        // one frame's keypoints for a batch of two
        PoseModels short1 = new PoseModels(answering(floats("keypoints", new long[] {1, 17, 3}, new float[Joint.COUNT * 3])));
        InferenceException s = assertThrows(InferenceException.class,
                () -> short1.await(short1.submitKeypoints(List.of(frame(), frame()), new RecordingJob()), new RecordingJob()));
        assertTrue(s.getMessage().contains("movenet-thunder") && s.getMessage().contains("2 frames"), s.getMessage());
    }

    @Test
    void aPreviewAsksForInteractivePriority() {
        Fakes.ScriptedInference inference = new Fakes.ScriptedInference();
        JobContext preview = new JobContext() {
            @Override
            public String jobId() {
                return "preview-7";
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public void progress(long done, long total) {
            }

            @Override
            public boolean interactive() {
                return true;
            }
        };
        new PoseModels(inference).submitKeypoints(List.of(frame()), preview);
        assertEquals(Priority.INTERACTIVE, inference.requests.get(0).priority());
        assertEquals("preview-7", inference.requests.get(0).jobId());
    }

    @Test
    void theMaskOfACropIsPlacedBackInTheFrame() throws Exception {
        Fakes.ScriptedInference inference = new Fakes.ScriptedInference();
        inference.mask = (px, w, h) -> {
            float[] m = new float[w * h];
            java.util.Arrays.fill(m, 0.75f);
            m[0] = 1f;
            return m;
        };
        float[] m = new PoseModels(inference).mask(frame(), new int[] {5, 2, 12, 9}, new RecordingJob());
        Tensor crop = inference.requests.get(0).inputs().get(0);
        assertEquals(List.of(1L, 7L, 7L, 3L), java.util.Arrays.stream(crop.shape()).boxed().toList());
        assertEquals((byte) ((2 * W + 5) * 3), crop.data().get(0), "the crop starts at the box's corner");
        assertEquals((byte) ((3 * W + 5) * 3), crop.data().get(7 * 3), "its second row is the frame's next row");
        assertEquals(W * H, m.length);
        assertEquals(1f, m[2 * W + 5]);
        assertEquals(0.75f, m[8 * W + 11]);
        assertEquals(0f, m[8 * W + 12], "outside the box: 0");
        assertEquals(0f, m[1 * W + 5]);
    }

    @Test
    void aMaskOfTheWrongSizeIsAnErrorNamingTheModel() {
        PoseModels models = new PoseModels(answering(floats("mask", new long[] {1, 2, 2, 1}, 1, 1, 1, 1)));
        InferenceException e = assertThrows(InferenceException.class, () -> models.mask(frame(), new int[] {0, 0, 5, 5}, new RecordingJob()));
        assertTrue(e.getMessage().contains("selfie-segmentation") && e.getMessage().contains("5x5"), e.getMessage());
    }

    @Test
    void aCancelledJobGetsNothing() throws Exception {
        RecordingJob job = new RecordingJob();
        Fakes.NoInference never = new Fakes.NoInference() {
            @Override
            public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
                calls.incrementAndGet();
                return new CompletableFuture<>(); // never answers
            }
        };
        PoseModels models = new PoseModels(never);
        PoseModels.Pending pending = models.submitKeypoints(List.of(frame()), job);
        job.cancelled.set(true);
        assertNull(models.await(pending, job));
        assertTrue(pending.result().isCancelled(), "the call is given up");
        assertNull(models.mask(frame(), new int[] {0, 0, 4, 4}, job));
    }
}

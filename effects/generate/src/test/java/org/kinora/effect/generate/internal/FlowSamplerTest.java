package org.kinora.effect.generate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.testing.RecordingJob;

/**
 * The sampler against denoisers whose exact velocity is known. The model under the sampler is a stand-in here (the
 * sampler is what is tested): for data that is one clip {@code d}, the rectified-flow velocity at {@code x, t} is exactly
 * {@code (x - d) / t}, so an exact integrator lands on {@code d}.
 */
class FlowSamplerTest {

    static final int F = 2;
    static final int W = 4;
    static final int H = 4;
    static final int N = F * W * H * 3;

    /** A denoiser whose prompt branch flows to {@code prompt} and whose negative branch flows to {@code negative}. */
    static final class Analytic implements InferenceService {
        final float prompt;
        final float negative;
        final List<InferenceRequest> requests = new ArrayList<>();

        Analytic(float prompt, float negative) {
            this.prompt = prompt;
            this.negative = negative;
        }

        @Override
        public List<DeviceInfo> devices() {
            return List.of();
        }

        @Override
        public List<ModelInfo> models() {
            return List.of();
        }

        @Override
        public CompletableFuture<InferenceResult> submit(InferenceRequest r) {
            requests.add(r);
            FloatBuffer x = r.inputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float t = r.inputs().get(1).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
            int n = x.remaining() / 2;
            ByteBuffer out = ByteBuffer.allocate(4 * 2 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 2 * n; i++) {
                float d = i < n ? prompt : negative;
                out.putFloat((x.get(i) - d) / t);
            }
            return CompletableFuture.completedFuture(new InferenceResult(r.modelId(), "cpu",
                    List.of(new Tensor("velocity", TensorType.FP32, r.inputs().get(0).shape(), out.flip()))));
        }

        @Override
        public int cancel(String jobId) {
            return 0;
        }
    }

    static float[] run(InferenceService s, double guidance, int steps, FlowSampler.Method m, long seed, RecordingJob job) throws Exception {
        return new FlowSampler(new ModelCalls(s, job), "t2v").sample(new FlowSampler.Chunk(F, W, H, null),
                new FlowSampler.Text(new float[] {1, 0}, null, 0), FlowSampler.Text.empty(2, false), guidance, steps, m, seed, (done, total) -> {
                    job.progress(done, total);
                    return !job.isCancelled();
                });
    }

    @Test
    void eulerAndHeunLandOnTheDataOfAnExactVelocityField() throws Exception {
        for (FlowSampler.Method m : FlowSampler.Method.values()) {
            float[] x = run(new Analytic(0.5f, 0.5f), 1, 8, m, 3, new RecordingJob());
            for (float v : x) {
                assertEquals(0.5f, v, 1e-4, m.name());
            }
        }
    }

    @Test
    void guidanceExtrapolatesFromTheNegativeBranchTowardsThePrompt() throws Exception {
        // the field is linear in the data, so guidance g lands on neg + g (prompt - neg)
        float[] x = run(new Analytic(0.4f, 0.1f), 3, 10, FlowSampler.Method.EULER, 5, new RecordingJob());
        for (float v : x) {
            assertEquals(0.1f + 3 * (0.4f - 0.1f), v, 1e-4);
        }
    }

    @Test
    void theScheduleRunsFromNoiseToDataShiftedTowardsTheNoisyEnd() {
        double[] t = FlowSampler.schedule(10);
        assertEquals(11, t.length);
        assertEquals(1.0, t[0], 1e-12);
        assertEquals(0.0, t[10], 1e-12);
        for (int i = 0; i < 10; i++) {
            assertTrue(t[i + 1] < t[i]);
        }
        assertTrue(t[5] > 0.5, "more steps near the noisy end: t at half way " + t[5]);
    }

    /**
     * A chunk's known first frames are kept, noised to each step's level with the chunk's own starting noise: the
     * denoiser sees {@code (1 - t) known + t noise} there at every evaluation (Heun's corrector too), and the chunk ends
     * on them exactly while the other frames go where the velocity takes them.
     */
    @Test
    void aChunksKnownFramesAreKeptNoisedToEachStepsLevel() throws Exception {
        int frame = W * H * 3;
        // two frames known, one to make
        float[] known = new float[2 * frame];
        for (int k = 0; k < known.length; k++) {
            known[k] = (k % 7) / 7f - 0.4f;
        }
        int frames = 3;
        int n = frames * frame;
        for (FlowSampler.Method m : FlowSampler.Method.values()) {
            Analytic field = new Analytic(0.5f, 0.5f);
            RecordingJob job = new RecordingJob();
            float[] x = new FlowSampler(new ModelCalls(field, job), "t2v").sample(new FlowSampler.Chunk(frames, W, H, known),
                    new FlowSampler.Text(new float[] {1, 0}, null, 0), FlowSampler.Text.empty(2, false), 1, 6, m, 9, (d, o) -> true);
            for (int k = 0; k < known.length; k++) {
                assertEquals(known[k], x[k], 1e-6, m + ": the first frames are the known ones");
            }
            for (int k = known.length; k < n; k++) {
                assertEquals(0.5f, x[k], 1e-4, m + ": the other frames follow the velocity");
            }
            float[] start = FlowSampler.noise(9, n);
            // every evaluation after the first sees the anchor noised to its own level in frame 0, in both branches
            for (InferenceRequest r : field.requests.subList(1, field.requests.size())) {
                FloatBuffer in = r.inputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float t = r.inputs().get(1).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
                for (int k = 0; k < known.length; k++) {
                    float want = (1 - t) * known[k] + t * start[k];
                    assertEquals(want, in.get(k), 1e-5, m + " at t " + t);
                    assertEquals(want, in.get(n + k), 1e-5, m + " at t " + t + ", negative branch");
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new FlowSampler.Chunk(F, W, H, new float[5]), "not whole frames");
        assertThrows(IllegalArgumentException.class, () -> new FlowSampler.Chunk(F, W, H, new float[F * frame]), "nothing left to make");
    }

    @Test
    void aSeedGivesTheSameNoiseAndAnotherSeedOther() {
        assertArrayEquals(FlowSampler.noise(42, 100), FlowSampler.noise(42, 100));
        assertNotEquals(FlowSampler.noise(42, 100)[0], FlowSampler.noise(43, 100)[0]);
    }

    @Test
    void heunCallsTheModelTwicePerStepButTheLastAndReportsEveryStep() throws Exception {
        Analytic s = new Analytic(0, 0);
        RecordingJob job = new RecordingJob();
        run(s, 2, 6, FlowSampler.Method.HEUN, 1, job);
        assertEquals(2 * 6 - 1, s.requests.size(), "the last step ends at t = 0, where Heun's corrector is not taken");
        assertEquals(6, job.progress.size());
        assertEquals(2, s.requests.get(0).inputs().get(0).shape()[0], "both guidance branches in one call");
    }

    @Test
    void aCancelledJobStopsBetweenSteps() throws Exception {
        Analytic s = new Analytic(0, 0);
        RecordingJob job = new RecordingJob();
        job.cancelAfter = 2;
        assertNull(run(s, 2, 10, FlowSampler.Method.EULER, 1, job));
        assertTrue(s.requests.size() <= 3, "stopped after " + s.requests.size() + " calls");
    }
}

package org.kinora.effect.motionbrush.internal;

import org.kinora.core.testing.RecordingJob;
import org.kinora.core.testing.RecordingSink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.InputKind;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Profile;

/**
 * The effect against a stand-in inference service (the model is not under test here): the requests it sends (the
 * still, the fields, the chunks and their parameters) and the frames it writes.
 */
class MotionBrushEffectTest {

    static final int W = 32;
    static final int H = 24;

    @TempDir
    Path dir;

    /** Answers each chunk with frames whose every byte is the frame's number in the clip. */
    static final class Inference implements InferenceService {
        final List<InferenceRequest> requests = Collections.synchronizedList(new ArrayList<>());
        final List<String> cancelled = Collections.synchronizedList(new ArrayList<>());
        volatile int failAt = -1;
        volatile int inFlight;
        volatile int mostInFlight;

        @Override
        public List<DeviceInfo> devices() {
            return List.of(new DeviceInfo("cpu()", "cpu", true));
        }

        @Override
        public List<ModelInfo> models() {
            return List.of();
        }

        @Override
        public synchronized CompletableFuture<InferenceResult> submit(InferenceRequest request) {
            requests.add(request);
            int n = requests.size();
            inFlight++;
            mostInFlight = Math.max(mostInFlight, inFlight);
            return CompletableFuture.supplyAsync(() -> {
                try {
                    if (n == failAt) {
                        throw new CompletionException(new InferenceException("model 'motion-brush': out of memory"));
                    }
                    Tensor image = request.inputs().get(0);
                    int h = (int) image.shape()[1];
                    int w = (int) image.shape()[2];
                    int start = ((Number) request.parameters().get("start")).intValue();
                    int count = ((Number) request.parameters().get("count")).intValue();
                    ByteBuffer out = ByteBuffer.allocate(count * h * w * 3);
                    for (int i = 0; i < count; i++) {
                        for (int k = 0; k < h * w * 3; k++) {
                            out.put((byte) (start + i));
                        }
                    }
                    out.flip();
                    return new InferenceResult(request.modelId(), "cpu()",
                            List.of(new Tensor("frames", TensorType.UINT8, new long[] {count, h, w, 3}, out)));
                } finally {
                    synchronized (this) {
                        inFlight--;
                    }
                }
            });
        }

        @Override
        public int cancel(String jobId) {
            cancelled.add(jobId);
            return 0;
        }
    }

    /** The still: one picture with a gradient. */
    static final class Still implements FrameSource {
        boolean given;

        @Override
        public MediaInfo info() {
            return null;
        }

        @Override
        public long frameCount() {
            return 1;
        }

        @Override
        public VideoFrame next() {
            if (given) {
                return null;
            }
            given = true;
            byte[] px = new byte[W * H * 3];
            for (int i = 0; i < px.length; i++) {
                px[i] = (byte) (i * 7);
            }
            return new VideoFrame(0, W, H, ByteBuffer.wrap(px));
        }

        @Override
        public void close() {
        }
    }

    final Inference inference = new Inference();
    final MotionBrushEffect effect = new MotionBrushEffect(inference, 8);
    final RecordingSink sink = new RecordingSink();
    final RecordingJob job = new RecordingJob();

    Path brushFile() throws Exception {
        Path f = dir.resolve("b.json");
        Files.writeString(f, "{\"brushes\": [{\"region\": {\"polygon\": [[0,0],[16,0],[16,24],[0,24]]},"
                + " \"motion\": {\"direction\": [1, 0], \"speed\": 50}},"
                + " {\"region\": {\"polygon\": [[8,8],[12,8],[12,12],[8,12]]}, \"static\": true}]}");
        return f;
    }

    void render(Map<String, String> params, long frames) throws Exception {
        ParameterValues values = ParameterValues.resolve(effect.info().parameters(), params);
        effect.render(new EffectContext(values, new Still(), sink, frames, new Profile(W, H, FrameRate.FPS_25, 709), job));
    }

    @Test
    void declaresAStillEffectWithItsParametersAndMethod() {
        assertEquals("motion-brush", effect.info().id());
        assertEquals(InputKind.STILL, effect.info().input());
        assertEquals(List.of("brushes", "loop", "cycle", "crossfade", "duration"), effect.info().parameters().stream().map(p -> p.name()).toList());
        assertTrue(effect.info().description().contains("Holynski et al. 2021"), effect.info().description());
        assertTrue(effect.info().description().contains("symmetric splatting"));
    }

    @Test
    void sendsTheStillAndFieldsInChunksAndWritesEveryFrameInOrder() throws Exception {
        render(Map.of("brushes", brushFile().toString()), 20);
        assertEquals(3, inference.requests.size(), "20 frames in chunks of 8");
        int[][] chunks = {{0, 8}, {8, 8}, {16, 4}};
        for (int c = 0; c < 3; c++) {
            InferenceRequest r = inference.requests.get(c);
            assertEquals("motion-brush", r.modelId());
            assertEquals("job-1", r.jobId());
            assertEquals(Map.of("total", 20, "start", chunks[c][0], "count", chunks[c][1], "loop", true, "crossfade", 0.3), r.parameters());
            assertEquals(List.of("image", "flow", "wave", "hold"), r.inputs().stream().map(Tensor::name).toList());
            Tensor image = r.inputs().get(0);
            assertEquals(TensorType.UINT8, image.type());
            assertEquals(List.of(1L, (long) H, (long) W, 3L), List.of(box(image.shape())));
            assertEquals((byte) (5 * 7), image.data().get(5), "the still's pixels");
            Tensor flow = r.inputs().get(1);
            assertEquals(TensorType.FP32, flow.type());
            assertEquals(List.of(1L, (long) H, (long) W, 2L), List.of(box(flow.shape())));
            ByteBuffer fb = flow.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int inside = 10 * W + 4;
            int outside = 10 * W + 20;
            assertEquals(2f, fb.getFloat(8 * inside), 1e-6f, "50 px/s at 25 fps");
            assertEquals(0f, fb.getFloat(8 * outside));
            Tensor wave = r.inputs().get(2);
            assertEquals(List.of(1L, (long) H, (long) W, 4L), List.of(box(wave.shape())));
            // the static brush (pixels x 8..11, y 8..11) holds its square and leaves the flow running under it
            Tensor hold = r.inputs().get(3);
            assertEquals(TensorType.FP32, hold.type());
            assertEquals(List.of(1L, (long) H, (long) W, 1L), List.of(box(hold.shape())));
            ByteBuffer hb = hold.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            int held = 10 * W + 9;
            assertEquals(1f, hb.getFloat(4 * held));
            assertEquals(0f, hb.getFloat(4 * inside));
            assertEquals(2f, fb.getFloat(8 * held), 1e-6f, "the flow runs on under the held square");
        }
        assertEquals(1, inference.mostInFlight, "one chunk in flight at a time");
        assertEquals(20, sink.frames.size());
        for (int i = 0; i < 20; i++) {
            VideoFrame f = sink.frames.get(i);
            assertEquals(i, f.index());
            assertEquals(W, f.width());
            assertEquals((byte) i, f.rgb().get(0), "frame " + i + " holds the model's frame " + i);
            assertEquals((byte) i, f.rgb().get(f.byteCount() - 1));
        }
        long[] last = job.progress.get(job.progress.size() - 1);
        assertEquals(20, last[0]);
        assertEquals(20, last[1]);
        assertEquals(3, job.progress.size(), "progress after every chunk");
        assertTrue(inference.cancelled.isEmpty());
    }

    @Test
    void theLengthAskedIsRenderedAndLoopIsPassedOn() throws Exception {
        // the runner asks for the overlay's duration (13 frames: 0.5 s at 25 fps) instead of the clip's length
        render(Map.of("brushes", brushFile().toString(), "duration", "0.5", "loop", "false"), 13);
        assertEquals(13, sink.frames.size());
        assertEquals(false, inference.requests.get(0).parameters().get("loop"));
        assertEquals(13, inference.requests.get(0).parameters().get("total"));
    }

    @Test
    void aLongLoopRepeatsCyclesThatDivideTheClip() throws Exception {
        render(Map.of("brushes", brushFile().toString(), "cycle", "1"), 100); // 25 frames at 25 fps: 4 cycles of 25
        assertEquals(100, sink.frames.size());
        int next = 0;
        for (InferenceRequest r : inference.requests) {
            assertEquals(25, r.parameters().get("total"), "the model renders one 25-frame cycle");
            int start = (Integer) r.parameters().get("start");
            int count = (Integer) r.parameters().get("count");
            assertEquals(next % 25, start, "cycles follow each other");
            assertTrue(start + count <= 25, "a call never crosses the end of a cycle");
            next += count;
        }
        assertEquals(100, next);
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) (i % 25), sink.frames.get(i).rgb().get(0), "output frame " + i + " is cycle frame " + i % 25);
            assertEquals(i, sink.frames.get(i).index());
        }
        assertEquals(100, MotionBrushEffect.cycleFrames(100, 0), "0: one cycle");
        assertEquals(100, MotionBrushEffect.cycleFrames(100, 150), "a cycle longer than the clip: one cycle");
        assertEquals(50, MotionBrushEffect.cycleFrames(100, 60), "nearest divisor");
        assertEquals(97, MotionBrushEffect.cycleFrames(97, 25), "a prime length has one cycle");
        assertEquals(125, MotionBrushEffect.cycleFrames(125, 75), "ties go to fewer cycles");
    }

    @Test
    void cancellingStopsAndDropsQueuedWork() throws Exception {
        job.cancelAfter = 8;
        render(Map.of("brushes", brushFile().toString()), 40);
        assertTrue(sink.frames.size() < 40, "stopped early: " + sink.frames.size());
        assertEquals(8, sink.frames.size());
        assertEquals(List.of("job-1"), inference.cancelled);
    }

    @Test
    void aFailedChunkIsAnErrorNamingTheFrames() throws Exception {
        inference.failAt = 2;
        EffectException e = assertThrows(EffectException.class, () -> render(Map.of("brushes", brushFile().toString()), 20));
        assertTrue(e.getMessage().contains("frames 8..15 failed") && e.getMessage().contains("out of memory"), e.getMessage());
        assertEquals(List.of("job-1"), inference.cancelled);
    }

    @Test
    void badBrushesAreClearErrors() throws Exception {
        EffectException e = assertThrows(EffectException.class, () -> render(Map.of(), 10));
        assertTrue(e.getMessage().contains("parameter 'brushes' is required"), e.getMessage());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"brushes\": [{\"region\": {\"polygon\": [[0,0],[40,0],[16,24]]}, \"static\": true}]}");
        e = assertThrows(EffectException.class, () -> render(Map.of("brushes", bad.toString()), 10));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("brush 1")
                && e.getMessage().contains("(40, 0) is outside the still (0..32 x 0..24)"), e.getMessage());
        assertTrue(inference.requests.isEmpty());
    }

    static Long[] box(long[] a) {
        Long[] b = new Long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}

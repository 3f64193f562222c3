package org.kinora.effect.styletransfer.internal;

import org.kinora.core.testing.RecordingJob;
import org.kinora.core.testing.RecordingSink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.effect.EffectException;
import org.kinora.core.effect.EffectInfo;
import org.kinora.core.effect.InputKind;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.TensorSpec;
import org.kinora.core.inference.TensorType;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.InvalidParameterException;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Profile;

class StyleTransferEffectTest {

    static final int W = 8;
    static final int H = 4;

    final Fakes.Inference inference = new Fakes.Inference();
    final RecordingSink sink = new RecordingSink();
    final RecordingJob job = new RecordingJob();

    static Profile profile() {
        return new Profile(W, H, FrameRate.FPS_25, 709);
    }

    EffectContext context(Map<String, String> params, Fakes.Source source, long frames) throws InvalidParameterException {
        StyleTransferEffect effect = new StyleTransferEffect(inference, 3);
        ParameterValues values = ParameterValues.resolve(effect.info().parameters(), params);
        return new EffectContext(values, source, sink, frames, profile(), job);
    }

    void render(Map<String, String> params, Fakes.Source source, long frames) throws Exception {
        new StyleTransferEffect(inference, 3).render(context(params, source, frames));
    }

    static int pixel(VideoFrame f) {
        return f.rgb().get(0) & 0xff;
    }

    @Test
    void framesKeepCountAndOrderInSmallBatches() throws Exception {
        render(Map.of("style", "pencil", "strength", "0.5"), new Fakes.Source(10, W, H), 10);
        assertEquals(10, sink.frames.size());
        for (int i = 0; i < 10; i++) {
            VideoFrame f = sink.frames.get(i);
            assertEquals(i, f.index());
            assertEquals(255 - i, pixel(f), "frame " + i + " is the model's answer for source frame " + i);
        }
        assertEquals(4, inference.requests.size(), "batches of 3: 3+3+3+1");
        for (InferenceRequest r : inference.requests) {
            assertEquals("style-pencil", r.modelId());
            assertEquals(Priority.BATCH, r.priority());
            assertEquals("job-1", r.jobId());
            assertEquals(0.5, ((Number) r.parameters().get("strength")).doubleValue());
            assertTrue(r.inputs().get(0).shape()[0] <= 3);
        }
    }

    @Test
    void progressIsReportedAfterEachBatch() throws Exception {
        render(Map.of(), new Fakes.Source(7, W, H), 7);
        assertEquals(List.of(3L, 6L, 7L), job.progress.stream().map(p -> p[0]).toList());
        assertTrue(job.progress.stream().allMatch(p -> p[1] == 7));
        assertEquals("style-cartoon", inference.requests.get(0).modelId(), "default style");
    }

    @Test
    void cancellationStopsEarlyWithoutException() throws Exception {
        job.cancelAfter = 3;
        render(Map.of(), new Fakes.Source(30, W, H), 30);
        assertEquals(3, sink.frames.size(), "stopped after the first batch");
        assertTrue(inference.requests.size() <= 3, "no more work submitted: " + inference.requests.size());
        assertEquals(List.of("job-1"), inference.cancelled, "queued requests of the job cancelled");
    }

    @Test
    void cancelledBeforeStartWritesNothing() throws Exception {
        job.cancelled.set(true);
        render(Map.of(), new Fakes.Source(5, W, H), 5);
        assertEquals(0, sink.frames.size());
    }

    @Test
    void parametersAreDeclaredOnceAndValidated() throws Exception {
        EffectInfo info = new StyleTransferEffect(inference, 3).info();
        assertEquals("style-transfer", info.id());
        assertEquals(InputKind.VIDEO, info.input());
        assertTrue(info.description().contains("classical") && info.description().contains("device"), info.description());
        assertEquals("0..1", info.parameter("strength").orElseThrow().rangeText());
        String help = info.parameter("style").orElseThrow().help();
        assertTrue(help.contains("guided filter") && help.contains("color-dodge") && help.contains("Kuwahara"), help);
        String temporalHelp = info.parameter("temporal").orElseThrow().help();
        assertTrue(temporalHelp.contains("OpenCV DIS optical flow"), temporalHelp);

        ParameterValues defaults = ParameterValues.resolve(info.parameters(), Map.of());
        assertEquals("cartoon", defaults.text("style"));
        assertEquals(1.0, defaults.number("strength"));
        assertTrue(defaults.bool("temporal"));
        assertThrows(InvalidParameterException.class, () -> ParameterValues.resolve(info.parameters(), Map.of("strength", "2")));
        assertThrows(InvalidParameterException.class, () -> ParameterValues.resolve(info.parameters(), Map.of("colour", "red")));
    }

    @Test
    void aStyleNetworkFromTheModelsFolderIsUsedByItsIdAndOtherIdsAreRefusedByName() throws Exception {
        TensorSpec frames = new TensorSpec("frames", TensorType.UINT8, new long[] {-1, -1, -1, 3});
        inference.models = List.of(
                new ModelInfo("mosaic", "image-to-image", "onnx", "a user's style network", List.of(frames), List.of(frames)),
                new ModelInfo("movenet-lightning", "pose-estimation", "tfjs-graph", "pose", List.of(frames), List.of(frames)));
        render(Map.of("style", "mosaic"), new Fakes.Source(3, W, H), 3);
        assertEquals("mosaic", inference.requests.get(0).modelId());

        EffectException oil = assertThrows(EffectException.class, () -> render(Map.of("style", "oil"), new Fakes.Source(3, W, H), 3));
        assertTrue(oil.getMessage().contains("unknown style 'oil'") && oil.getMessage().contains("cartoon, pencil, paint, starry, mosaic"),
                oil.getMessage());
        EffectException pose = assertThrows(EffectException.class,
                () -> render(Map.of("style", "movenet-lightning"), new Fakes.Source(3, W, H), 3));
        assertTrue(pose.getMessage().contains("pose-estimation model, not a style"), pose.getMessage());
    }

    @Test
    void inferenceFailureIsWrappedNamingEffectAndFrames() {
        inference.failAt = 2;
        EffectException e = assertThrows(EffectException.class, () -> render(Map.of(), new Fakes.Source(10, W, H), 10));
        assertTrue(e.getMessage().startsWith("style-transfer: frames 3..5 failed"), e.getMessage());
        assertTrue(e.getMessage().contains("engine exploded"), e.getMessage());
        assertInstanceOf(InferenceException.class, e.getCause());
        assertEquals(List.of("job-1"), inference.cancelled);
    }

    @Test
    void mediaFailureIsWrappedNamingEffectAndFrame() {
        Fakes.Source source = new Fakes.Source(10, W, H);
        source.failAt = 4;
        EffectException e = assertThrows(EffectException.class, () -> render(Map.of(), source, 10));
        assertTrue(e.getMessage().contains("style-transfer") && e.getMessage().contains("frame 4"), e.getMessage());
        assertInstanceOf(MediaException.class, e.getCause());
    }

    @Test
    void aShortSourceIsHeldOnItsLastFrameToTheExactCount() throws Exception {
        render(Map.of(), new Fakes.Source(4, W, H), 6);
        assertEquals(6, sink.frames.size());
        assertEquals(5, sink.frames.get(5).index());
        assertEquals(255 - 3, pixel(sink.frames.get(5)));
    }

    @Test
    void aLongSourceIsReadOnlyUpToTheCount() throws Exception {
        render(Map.of(), new Fakes.Source(20, W, H), 5);
        assertEquals(5, sink.frames.size());
    }

    @Test
    void anEmptySourceIsAnError() {
        EffectException e = assertThrows(EffectException.class, () -> render(Map.of(), new Fakes.Source(0, W, H), 3));
        assertTrue(e.getMessage().contains("no frames"), e.getMessage());
    }
}

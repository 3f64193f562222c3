package org.kinora.effect.styletransfer.internal;

import org.kinora.core.testing.RecordingJob;
import org.kinora.core.testing.RecordingSink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kinora.core.effect.EffectContext;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.param.ParameterValues;
import org.kinora.core.time.FrameRate;
import org.kinora.core.timeline.Profile;
import org.kinora.inference.internal.InferenceServiceImpl;
import org.kinora.media.internal.DisOpticalFlow;

/** The effect on the real inference service (DJL + PyTorch on this machine's device) and the real optical flow (temporal on). */
class RealInferenceTest {

    @Test
    void paintsAClipOnTheRealService() throws Exception {
        int w = 96;
        int h = 54;
        int n = 7;
        Fakes.Source source = new Fakes.Source(n, w, h) {
            @Override
            public VideoFrame next() {
                if (next >= count) {
                    return null;
                }
                byte[] px = new byte[w * h * 3];
                for (int i = 0; i < px.length; i++) {
                    int x = (i / 3) % w;
                    px[i] = (byte) ((x < w / 2 ? 40 : 200) + ((i * 7919 + next * 31) % 25) - 12);
                }
                return new VideoFrame(next++, w, h, ByteBuffer.wrap(px));
            }
        };
        RecordingSink sink = new RecordingSink();
        RecordingJob job = new RecordingJob();
        try (InferenceServiceImpl service = new InferenceServiceImpl()) {
            StyleTransferEffect effect = new StyleTransferEffect(service, new DisOpticalFlow(), StyleTransferEffect.MAX_BATCH);
            ParameterValues values = ParameterValues.resolve(effect.info().parameters(), Map.of("style", "paint"));
            effect.render(new EffectContext(values, source, sink, n, new Profile(w, h, FrameRate.FPS_25, 709), job));
        }
        assertEquals(n, sink.frames.size());
        for (int i = 0; i < n; i++) {
            VideoFrame f = sink.frames.get(i);
            assertEquals(i, f.index());
            assertEquals(w, f.width());
            // flat regions are smoothed: the noise (+-12) is mostly gone on the left
            int min = 255;
            int max = 0;
            for (int y = 10; y < h - 10; y++) {
                for (int x = 5; x < w / 2 - 8; x++) {
                    int v = f.rgb().get((y * w + x) * 3) & 0xff;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            assertTrue(max - min < 16, "frame " + i + ": spread " + (max - min));
        }
        assertEquals(n, job.progress.get(job.progress.size() - 1)[0]);
    }
}

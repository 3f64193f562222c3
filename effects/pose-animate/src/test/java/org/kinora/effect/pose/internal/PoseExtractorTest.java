package org.kinora.effect.pose.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.Priority;
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;
import org.kinora.core.pose.PoseTrack;
import org.kinora.core.pose.PoseTrackException;
import org.kinora.core.testing.RecordingJob;

/**
 * MoveNet extraction of a clip against a stand-in inference service that answers each frame with a scripted pose (the
 * frame's number is written in its first pixel): batching, pixel positions, gap filling, smoothing, progress,
 * cancellation and errors.
 */
class PoseExtractorTest {

    static final int W = 64;
    static final int H = 48;
    static final String SOURCE = "clip V2:1";

    final Fakes.ScriptedInference inference = new Fakes.ScriptedInference();
    final RecordingJob job = new RecordingJob();
    /** The pose MoveNet "sees" in frame i. */
    IntFunction<Pose> script = i -> standing();

    PoseExtractorTest() {
        inference.pose = (px, w, h) -> script.apply(index(px));
    }

    /** A person standing, every joint at its own place (x from 8 to 56, y from 4 to 46), seen with score 0.8. */
    static Pose standing() {
        float[] x = new float[Joint.COUNT];
        float[] y = new float[Joint.COUNT];
        float[] s = new float[Joint.COUNT];
        for (int j = 0; j < Joint.COUNT; j++) {
            x[j] = 8 + 3 * j;
            y[j] = 4 + 2.5f * j;
            s[j] = 0.8f;
        }
        return new Pose(x, y, s);
    }

    static Pose with(Pose p, Joint j, float x, float y, float score) {
        float[] xs = p.xs();
        float[] ys = p.ys();
        float[] ss = p.scores();
        xs[j.ordinal()] = x;
        ys[j.ordinal()] = y;
        ss[j.ordinal()] = score;
        return new Pose(xs, ys, ss);
    }

    /** The frame number written in a picture's first pixel (red: low byte, green: high byte). */
    static int index(byte[] rgb) {
        return (rgb[0] & 0xff) | (rgb[1] & 0xff) << 8;
    }

    /** {@code n} frames, each with its number in its first pixel; fails with a decoding error at {@code failAt}. */
    static final class Clip implements FrameSource {
        final int n;
        final int failAt;
        int next;

        Clip(int n, int failAt) {
            this.n = n;
            this.failAt = failAt;
        }

        Clip(int n) {
            this(n, -1);
        }

        @Override
        public MediaInfo info() {
            return null;
        }

        @Override
        public long frameCount() {
            return n;
        }

        @Override
        public VideoFrame next() throws MediaException {
            if (next == failAt) {
                throw new MediaException("clip.mp4: corrupt packet");
            }
            if (next >= n) {
                return null;
            }
            byte[] px = new byte[W * H * 3];
            java.util.Arrays.fill(px, (byte) 90);
            px[0] = (byte) next;
            px[1] = (byte) (next >> 8);
            return new VideoFrame(next++, W, H, ByteBuffer.wrap(px));
        }

        @Override
        public void close() {
        }
    }

    PoseTrack extract(int frames) throws Exception {
        return new PoseExtractor(new PoseModels(inference)).extract(new Clip(frames), SOURCE, 25, job, frames);
    }

    /** The frame numbers each request carried, as MoveNet received them. */
    List<List<Integer>> batches() {
        List<List<Integer>> out = new ArrayList<>();
        for (InferenceRequest r : inference.requests) {
            Tensor t = r.inputs().get(0);
            int n = (int) t.shape()[0];
            List<Integer> idx = new ArrayList<>();
            ByteBuffer b = t.data().duplicate();
            for (int i = 0; i < n; i++) {
                byte[] px = new byte[W * H * 3];
                b.get(px);
                idx.add(index(px));
            }
            out.add(idx);
        }
        return out;
    }

    @Test
    void sendsFramesInOrderInBatchesOfAtMostEight() throws Exception {
        PoseTrack t = extract(20);
        assertEquals(List.of(List.of(0, 1, 2, 3, 4, 5, 6, 7), List.of(8, 9, 10, 11, 12, 13, 14, 15), List.of(16, 17, 18, 19)), batches());
        for (InferenceRequest r : inference.requests) {
            assertEquals(PoseModels.MOVENET, r.modelId());
            assertEquals("job-1", r.jobId());
            assertEquals(Priority.BATCH, r.priority(), "a render, not a preview");
            Tensor image = r.inputs().get(0);
            assertEquals("image", image.name());
            assertEquals(TensorType.UINT8, image.type());
            assertEquals(List.of((long) H, (long) W, 3L), List.of(image.shape()[1], image.shape()[2], image.shape()[3]));
        }
        assertEquals(20, t.size());
        assertEquals(SOURCE, t.source());
        assertEquals("movenet", t.format());
        assertEquals(25, t.fps());
        assertEquals(W, t.width());
        assertEquals(H, t.height());
    }

    @Test
    void positionsComeBackInPixelsOfTheFrame() throws Exception {
        // every joint at its own place, x and y on different scales (W != H): a swap or a wrong scale shows
        PoseTrack t = extract(10);
        Pose expected = standing();
        for (Pose p : t.frames()) {
            for (Joint j : Joint.values()) {
                assertEquals(expected.x(j), p.x(j), 1e-3, j.key() + " x");
                assertEquals(expected.y(j), p.y(j), 1e-3, j.key() + " y");
                assertEquals(0.8f, p.score(j), 1e-6, j.key() + " score");
            }
        }
    }

    @Test
    void aJointMissedForTwoFramesIsFilledAndALongGapIsNot() throws Exception {
        script = i -> {
            Pose p = standing();
            if (i == 5 || i == 6) {
                p = with(p, Joint.LEFT_WRIST, 0, 0, 0.05f); // missed: MoveNet's guess is somewhere else, with a low score
            }
            if (i >= 3 && i <= 3 + PoseExtractor.MAX_GAP) {
                p = with(p, Joint.LEFT_EAR, 0, 0, 0); // missed for MAX_GAP + 1 frames
            }
            return p;
        };
        PoseTrack t = extract(16);
        Pose s = standing();
        for (int i : new int[] {5, 6}) {
            Pose p = t.frames().get(i);
            assertTrue(p.seen(Joint.LEFT_WRIST, PoseExtractor.MIN_SCORE), "frame " + i + ": filled, score " + p.score(Joint.LEFT_WRIST));
            assertTrue(p.score(Joint.LEFT_WRIST) < 0.8f, "a filled joint is marked as guessed");
            assertEquals(s.x(Joint.LEFT_WRIST), p.x(Joint.LEFT_WRIST), 1e-3, "frame " + i + ": between its neighbours");
            assertEquals(s.y(Joint.LEFT_WRIST), p.y(Joint.LEFT_WRIST), 1e-3);
        }
        for (int i = 3; i <= 3 + PoseExtractor.MAX_GAP; i++) {
            assertEquals(0f, t.frames().get(i).score(Joint.LEFT_EAR), "frame " + i + ": a gap of " + (PoseExtractor.MAX_GAP + 1) + " stays");
        }
        assertEquals(0.8f, t.frames().get(2).score(Joint.LEFT_EAR), 1e-6);
    }

    @Test
    void jitterIsSmoothedAndAFastMoveFollowed() throws Exception {
        // the knee jitters 2 px either side of x = 40 for 30 frames, then jumps 20 px and stays
        script = i -> with(standing(), Joint.LEFT_KNEE, i < 30 ? 40 + (i % 2 == 0 ? 2 : -2) : 60, 30, 0.8f);
        PoseTrack t = extract(45);
        double in = 0;
        double out = 0;
        double mean = 0;
        for (int i = 10; i < 30; i++) {
            in += Math.abs(script.apply(i).x(Joint.LEFT_KNEE) - script.apply(i - 1).x(Joint.LEFT_KNEE));
            out += Math.abs(t.frames().get(i).x(Joint.LEFT_KNEE) - t.frames().get(i - 1).x(Joint.LEFT_KNEE));
            mean += t.frames().get(i).x(Joint.LEFT_KNEE);
        }
        assertTrue(out < in / 4, "frame-to-frame movement " + out + " px vs " + in + " px raw");
        assertEquals(40, mean / 20, 0.5, "smoothing keeps the place");
        assertEquals(60, t.frames().get(44).x(Joint.LEFT_KNEE), 0.5, "half a second after the jump the knee is there");
        assertEquals(30, t.frames().get(44).y(Joint.LEFT_KNEE), 1e-3);
    }

    @Test
    void reportsProgressAfterEveryBatch() throws Exception {
        extract(20);
        assertEquals(3, job.progress.size());
        assertArrayEquals(new long[] {8, 20}, job.progress.get(0));
        assertArrayEquals(new long[] {16, 20}, job.progress.get(1));
        assertArrayEquals(new long[] {20, 20}, job.progress.get(2));
    }

    @Test
    void aClipLongerThanItsCountStillReportsAFullBar() throws Exception {
        new PoseExtractor(new PoseModels(inference)).extract(new Clip(12), SOURCE, 25, job, 10);
        long[] last = job.progress.get(job.progress.size() - 1);
        assertEquals(last[1], last[0], "done never passes the total");
        assertEquals(12, last[0]);
    }

    @Test
    void aCancelledJobGivesNull() throws Exception {
        job.cancelAfter = 8;
        assertNull(extract(40));
        assertTrue(inference.requests.size() <= 2, "stops after the batch that saw the cancel: " + inference.requests.size() + " calls");
    }

    @Test
    void noPersonInAnyFrameIsAnErrorNamingTheSource() {
        script = i -> null;
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> extract(12));
        assertTrue(e.getMessage().startsWith(SOURCE) && e.getMessage().contains("no person") && e.getMessage().contains("12 frames"),
                e.getMessage());
    }

    @Test
    void onePersonSomewhereIsEnough() throws Exception {
        script = i -> i == 7 ? standing() : null;
        assertEquals(12, extract(12).size());
    }

    @Test
    void anEmptyClipIsAnError() {
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> extract(0));
        assertTrue(e.getMessage().contains(SOURCE) && e.getMessage().contains("no frames"), e.getMessage());
        assertTrue(inference.requests.isEmpty());
    }

    @Test
    void aMissingModelSaysHowToFetchIt() {
        inference.missing = PoseModels.MOVENET;
        PoseTrackException e = assertThrows(PoseTrackException.class, () -> extract(12));
        assertTrue(e.getMessage().startsWith(SOURCE) && e.getMessage().contains("kinora models fetch movenet-thunder"), e.getMessage());
    }

    @Test
    void aDecodingErrorNamesTheSourceAndTheFrame() {
        PoseTrackException e = assertThrows(PoseTrackException.class,
                () -> new PoseExtractor(new PoseModels(inference)).extract(new Clip(20, 10), SOURCE, 25, job, 20));
        assertTrue(e.getMessage().startsWith(SOURCE) && e.getMessage().contains("decoding frame 10 failed")
                && e.getMessage().contains("corrupt packet"), e.getMessage());
    }
}

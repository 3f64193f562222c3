package org.kinora.effect.pose.internal;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.Inpainting;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;

/** Stand-ins for what the effect's own classes use but are not under test here: the services and in-memory media. */
final class Fakes {

    private Fakes() {
    }

    /** An inference service no call should reach: counts the calls and fails each. */
    static final class NoInference implements InferenceService {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public List<DeviceInfo> devices() {
            return List.of(new DeviceInfo("cpu()", "cpu", true));
        }

        @Override
        public List<ModelInfo> models() {
            return List.of();
        }

        @Override
        public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new InferenceException("model '" + request.modelId() + "' must not be called in this test"));
        }

        @Override
        public int cancel(String jobId) {
            return 0;
        }
    }

    /** Fills the hole with one flat colour (so tests can tell the filled background from the still) and keeps the masks it got. */
    static final class FlatInpainting implements Inpainting {
        static final Color FILL = new Color(255, 0, 255);
        final List<byte[]> masks = Collections.synchronizedList(new ArrayList<>());

        @Override
        public VideoFrame inpaint(VideoFrame frame, ByteBuffer mask, int radius) {
            byte[] m = new byte[mask.remaining()];
            mask.duplicate().get(m);
            masks.add(m);
            byte[] px = new byte[frame.byteCount()];
            frame.rgb().duplicate().rewind().get(px);
            for (int i = 0; i < m.length; i++) {
                if (m[i] != 0) {
                    px[3 * i] = (byte) FILL.getRed();
                    px[3 * i + 1] = (byte) FILL.getGreen();
                    px[3 * i + 2] = (byte) FILL.getBlue();
                }
            }
            return frame.withPixels(ByteBuffer.wrap(px));
        }
    }

    /** Frames held in memory, given in order. */
    static final class Frames implements FrameSource {
        private final List<VideoFrame> frames;
        private int next;
        boolean closed;

        Frames(List<VideoFrame> frames) {
            this.frames = frames;
        }

        @Override
        public MediaInfo info() {
            return null;
        }

        @Override
        public long frameCount() {
            return frames.size();
        }

        @Override
        public VideoFrame next() {
            return next < frames.size() ? frames.get(next++) : null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Packed RGB of a picture. */
    static byte[] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            out[3 * i] = (byte) (argb[i] >> 16);
            out[3 * i + 1] = (byte) (argb[i] >> 8);
            out[3 * i + 2] = (byte) argb[i];
        }
        return out;
    }

    static VideoFrame frame(long index, BufferedImage img) {
        return new VideoFrame(index, img.getWidth(), img.getHeight(), ByteBuffer.wrap(rgb(img)));
    }

    /** A mask picture as values in [0, 1] (its red channel). */
    static float[] alpha(BufferedImage mask) {
        byte[] px = rgb(mask);
        float[] a = new float[px.length / 3];
        for (int i = 0; i < a.length; i++) {
            a[i] = (px[3 * i] & 0xff) / 255f;
        }
        return a;
    }

    static byte[] bytes(VideoFrame f) {
        byte[] b = new byte[f.byteCount()];
        f.rgb().duplicate().rewind().get(b);
        return b;
    }
}

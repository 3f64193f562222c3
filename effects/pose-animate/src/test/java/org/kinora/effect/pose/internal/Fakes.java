package org.kinora.effect.pose.internal;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.kinora.core.inference.Tensor;
import org.kinora.core.inference.TensorType;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.Inpainting;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.pose.Joint;
import org.kinora.core.pose.Pose;

/** Stand-ins for what the effect's own classes use but are not under test here: the services and in-memory media. */
final class Fakes {

    private Fakes() {
    }

    /** An inference service no call should reach: counts the calls and fails each. */
    static class NoInference implements InferenceService {
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

    /**
     * Answers MoveNet ({@code image} UINT8 [N, H, W, 3] to {@code keypoints} FP32 [N, 17, 3]: y, x in [0, 1] of the frame,
     * score) with the pose {@link #pose} gives for each picture, and selfie segmentation ({@code image} [1, h, w, 3] to
     * {@code mask} FP32 [1, h, w, 1]) with what {@link #mask} gives for the crop. Keeps every request.
     */
    static final class ScriptedInference implements InferenceService {
        final List<InferenceRequest> requests = Collections.synchronizedList(new ArrayList<>());
        /** The pose of one picture (packed RGB, its size), in its pixels; {@code null}: nobody there. */
        volatile PoseScript pose = (px, w, h) -> null;
        /** The mask of a crop, {@code w * h} values. */
        volatile MaskScript mask = (px, w, h) -> new float[w * h];
        /** A model that is not installed: its calls fail. */
        volatile String missing;

        interface PoseScript {
            Pose of(byte[] rgb, int w, int h);
        }

        interface MaskScript {
            float[] of(byte[] rgb, int w, int h);
        }

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
            requests.add(request);
            if (request.modelId().equals(missing)) {
                return CompletableFuture.failedFuture(new InferenceException("model '" + missing + "' is not installed"));
            }
            Tensor image = request.inputs().get(0);
            long[] shape = image.shape();
            int n = (int) shape[0];
            int h = (int) shape[1];
            int w = (int) shape[2];
            ByteBuffer in = image.data().duplicate();
            if (request.modelId().equals(PoseModels.MOVENET)) {
                ByteBuffer out = ByteBuffer.allocate(n * 17 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    byte[] px = new byte[w * h * 3];
                    in.get(px);
                    Pose p = pose.of(px, w, h);
                    for (Joint j : Joint.values()) {
                        // pixel centres sit at (i + 0.5) / size
                        out.putFloat(p == null ? 0.5f : (p.y(j) + 0.5f) / h);
                        out.putFloat(p == null ? 0.5f : (p.x(j) + 0.5f) / w);
                        out.putFloat(p == null ? 0.02f : p.score(j));
                    }
                }
                return CompletableFuture.completedFuture(new InferenceResult(request.modelId(), "cpu()",
                        List.of(new Tensor("keypoints", TensorType.FP32,
                                new long[] {n, 17, 3}, out.flip()))));
            }
            if (request.modelId().equals(PoseModels.SELFIE)) {
                byte[] px = new byte[w * h * 3];
                in.get(px);
                float[] m = mask.of(px, w, h);
                ByteBuffer out = ByteBuffer.allocate(w * h * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : m) {
                    out.putFloat(v);
                }
                return CompletableFuture.completedFuture(new InferenceResult(request.modelId(), "cpu()",
                        List.of(new Tensor("mask", TensorType.FP32,
                                new long[] {1, h, w, 1}, out.flip()))));
            }
            return CompletableFuture.failedFuture(new InferenceException("model '" + request.modelId() + "' is not installed"));
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

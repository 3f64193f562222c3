package org.kinora.effect.styletransfer.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.kinora.core.inference.DeviceInfo;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.InferenceRequest;
import org.kinora.core.inference.InferenceResult;
import org.kinora.core.inference.InferenceService;
import org.kinora.core.inference.ModelInfo;
import org.kinora.core.inference.Tensor;
import org.kinora.core.job.JobContext;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;

/** In-memory stand-ins for the inference service, the decoder, the encoder and the job. */
final class Fakes {

    private Fakes() {
    }

    /** Inverts every byte on a worker thread; can fail a given call. */
    static final class Inference implements InferenceService {
        /** What {@link #models()} lists. */
        List<ModelInfo> models = List.of();
        final List<InferenceRequest> requests = Collections.synchronizedList(new ArrayList<>());
        final List<String> cancelled = Collections.synchronizedList(new ArrayList<>());
        final ExecutorService worker = Executors.newSingleThreadExecutor();
        final AtomicInteger calls = new AtomicInteger();
        volatile int failAt = -1;
        volatile IntConsumer onCall = n -> { };

        @Override
        public List<DeviceInfo> devices() {
            return List.of(new DeviceInfo("cpu()", "cpu", true));
        }

        @Override
        public List<ModelInfo> models() {
            return models;
        }

        @Override
        public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
            requests.add(request);
            int n = calls.incrementAndGet();
            onCall.accept(n);
            return CompletableFuture.supplyAsync(() -> {
                if (n == failAt) {
                    throw new java.util.concurrent.CompletionException(
                            new InferenceException("model '" + request.modelId() + "': engine exploded"));
                }
                Tensor in = request.inputs().get(0);
                ByteBuffer src = in.data().duplicate();
                ByteBuffer out = ByteBuffer.allocate(src.remaining());
                while (src.hasRemaining()) {
                    out.put((byte) ~src.get());
                }
                out.flip();
                return new InferenceResult(request.modelId(), "cpu()", List.of(new Tensor("frames", in.type(), in.shape(), out)));
            }, worker);
        }

        @Override
        public int cancel(String jobId) {
            cancelled.add(jobId);
            return 0;
        }
    }

    /** Frames whose every byte is the frame number. */
    static class Source implements FrameSource {
        final int count;
        final int w;
        final int h;
        int next;
        volatile int failAt = -1;

        Source(int count, int w, int h) {
            this.count = count;
            this.w = w;
            this.h = h;
        }

        @Override
        public MediaInfo info() {
            return null;
        }

        @Override
        public long frameCount() {
            return count;
        }

        @Override
        public VideoFrame next() throws MediaException {
            if (next == failAt) {
                throw new MediaException("clip.mp4: corrupt packet at frame " + next);
            }
            if (next >= count) {
                return null;
            }
            byte[] px = new byte[w * h * 3];
            java.util.Arrays.fill(px, (byte) next);
            return new VideoFrame(next++, w, h, ByteBuffer.wrap(px));
        }

        @Override
        public void close() {
        }
    }

}

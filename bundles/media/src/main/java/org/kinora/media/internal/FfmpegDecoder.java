package org.kinora.media.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber.ImageMode;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;

/**
 * Streams a frame range of one file as packed RGB. A daemon thread seeks to the range, decodes, converts and hands frames
 * over through a bounded queue, so decoding overlaps the consumer and memory stays at {@code capacity} frames (plus the
 * picture being held for repeats) whatever the clip's length. The grabber hands over the decoder's own pictures (YUV as a
 * rule) and {@link ColorConversion} converts and scales them natively with the stream's matrix and range; JavaCV's own
 * conversion would assume BT.601 limited range for everything.
 */
final class FfmpegDecoder implements FrameSource {

    /** Marks the end of the range in the queue. */
    private static final Object END = new Object();

    /** A decode failure travelling through the queue, so the consumer sees it in order, after the frames before it. */
    private record Failure(MediaException error) {
    }

    private final Path file;
    private final MediaInfo info;
    private final DecodeRequest request;
    private final FrameRateMapper mapper;
    private final int width;
    private final int height;
    private final int capacity;
    private final BlockingQueue<Object> queue;
    /**
     * Permits to allocate a frame: taken before a frame's pixels are copied, returned when the consumer takes it. This,
     * not the queue, is what bounds memory to {@code capacity} frames (the queue has one more slot for END or a
     * failure, so those never block).
     */
    private final Semaphore room;
    private final Thread worker;
    /** Frames decoded and copied out but not yet handed to the consumer: the memory this source holds. */
    private final AtomicInteger buffered = new AtomicInteger();
    private final AtomicInteger maxBuffered = new AtomicInteger();
    /** Pictures this source pulled from the decoder after seeking; shows that a range is not decoded from the start. */
    private final AtomicInteger grabbed = new AtomicInteger();
    /** Pictures converted to RGB: only those shown, not the ones decoded on the way from the key frame. */
    private final AtomicInteger converted = new AtomicInteger();
    private volatile boolean closed;
    private boolean ended;

    FfmpegDecoder(Path file, MediaInfo info, DecodeRequest request, int capacity) {
        this.file = file;
        this.info = info;
        this.request = request;
        this.capacity = capacity;
        this.mapper = new FrameRateMapper(request.rate(), request.first(), request.last(), info.frameRate());
        int[] size = outputSize(info, request);
        this.width = size[0];
        this.height = size[1];
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.room = new Semaphore(capacity);
        this.worker = new Thread(this::run, "kinora-decode " + file.getFileName());
        this.worker.setDaemon(true);
    }

    /** Starts the decoding thread; separate from the constructor so no thread sees a half-built object. */
    FfmpegDecoder start() {
        worker.start();
        return this;
    }

    /**
     * The requested size; with only one of width/height given, the other follows the file's aspect ratio (the usual
     * meaning of "0 = automatic" in FFmpeg's scale filter).
     */
    static int[] outputSize(MediaInfo info, DecodeRequest r) {
        int w = r.width();
        int h = r.height();
        if (w > 0 && h <= 0) {
            h = (int) Math.max(1, Math.round((double) w * info.height() / info.width()));
        } else if (h > 0 && w <= 0) {
            w = (int) Math.max(1, Math.round((double) h * info.width() / info.height()));
        } else if (w <= 0) {
            w = info.width();
            h = info.height();
        }
        return new int[] {w, h};
    }

    @Override
    public MediaInfo info() {
        return info;
    }

    @Override
    public long frameCount() {
        return request.frameCount();
    }

    @Override
    public VideoFrame next() throws MediaException, InterruptedException {
        if (ended || closed) {
            return null;
        }
        Object item = queue.take();
        if (item == END) {
            ended = true;
            return null;
        }
        if (item instanceof Failure f) {
            ended = true;
            throw f.error();
        }
        buffered.decrementAndGet();
        room.release();
        return (VideoFrame) item;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        worker.interrupt();
        queue.clear();
        try {
            // The worker frees the grabber itself (try-with-resources); wait so native memory is gone when we return.
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.clear();
    }

    /** The queue's size: the most frames decoded ahead of the consumer. */
    int capacity() {
        return capacity;
    }

    /** The most frames this source ever held at once, decoded but not yet taken by the consumer; for tests. */
    int maxBuffered() {
        return maxBuffered.get();
    }

    /** Pictures grabbed after the seek; for tests. */
    int grabbed() {
        return grabbed.get();
    }

    /** Pictures converted to RGB; for tests. */
    int converted() {
        return converted.get();
    }

    private void run() {
        try {
            if (info.still()) {
                decodeStill();
            } else {
                decodeStream();
            }
            queue.put(END);
        } catch (InterruptedException e) {
            // closed: nothing more to deliver
        } catch (Throwable t) {
            if (!closed) {
                // Frames decoded before the failure stay queued and are delivered first; the permits leave one slot free.
                queue.offer(new Failure(Ffmpeg.wrap(file, "decoding failed", t)));
            }
        }
    }

    private FFmpegFrameGrabber grabber() {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        // The decoder's pictures as they are (Frame.opaque is the AVFrame): we convert them ourselves, colour-accurately.
        g.setImageMode(ImageMode.RAW);
        return g;
    }

    /** The decoder's picture behind a grabbed frame (RAW mode). */
    private static AVFrame picture(Frame f) {
        if (!(f.opaque instanceof AVFrame picture) || picture.isNull()) {
            throw new IllegalStateException("the grabber gave no decoded picture");
        }
        return picture;
    }

    /** {@code picture} as packed RGB of the requested size, with the stream's matrix and range. */
    private ByteBuffer toRgb(ColorConversion colors, AVFrame picture) {
        converted.incrementAndGet();
        return colors.toRgb(picture, info.color(), info.still(), width, height);
    }

    /**
     * The latest decoded picture, kept as a reference to the decoder's buffer (the grabber reuses its frame) and
     * converted to RGB only when it is first shown: pictures decoded on the way from the key frame to the range, or
     * skipped when the request's rate is lower, cost no conversion.
     */
    private final class Held implements AutoCloseable {
        private final AVFrame frame = av_frame_alloc();
        private final ColorConversion colors;
        private ByteBuffer rgb;
        private boolean present;

        Held(ColorConversion colors) {
            if (frame == null || frame.isNull()) {
                throw new OutOfMemoryError("cannot allocate a frame");
            }
            this.colors = colors;
        }

        void set(Frame f) {
            av_frame_unref(frame);
            int ret = av_frame_ref(frame, picture(f));
            if (ret < 0) {
                throw new IllegalStateException("cannot keep a decoded picture: " + Ffmpeg.errorText(ret));
            }
            rgb = null;
            present = true;
        }

        boolean present() {
            return present;
        }

        ByteBuffer rgb() {
            if (rgb == null) {
                rgb = toRgb(colors, frame);
                av_frame_unref(frame); // converted: give the buffer back to the decoder
            }
            return rgb;
        }

        @Override
        public void close() {
            av_frame_free(frame);
        }
    }

    /** A still has one picture; every requested frame is a copy of it. */
    private void decodeStill() throws Exception {
        ByteBuffer picture;
        try (FFmpegFrameGrabber g = grabber(); ColorConversion colors = ColorConversion.forDecoding()) {
            g.start();
            Frame f = nextPicture(g);
            if (f == null) {
                throw new MediaException(file + ": the image has no picture");
            }
            picture = toRgb(colors, picture(f));
        }
        for (long n = request.first(); n <= request.last(); n++) {
            emit(n, picture);
        }
    }

    private void decodeStream() throws Exception {
        try (FFmpegFrameGrabber g = grabber(); ColorConversion colors = ColorConversion.forDecoding();
                Held held = new Held(colors)) {
            g.start();
            // Requested frame numbers count from the first picture, as editors do; transport streams start at e.g. 1.4 s.
            long start = g.getFormatContext().start_time();
            long origin = start == AV_NOPTS_VALUE ? 0 : start;
            long seek = mapper.seekMicros();
            if (seek > 0) {
                g.setVideoTimestamp(seek);
            }
            long n = request.first();
            long heldAt = 0;
            Frame f;
            while (n <= request.last() && (f = nextPicture(g)) != null) {
                long at = f.timestamp - origin;
                if (held.present()) {
                    while (n <= request.last() && mapper.shownBefore(n, at)) {
                        emit(n++, held.rgb());
                    }
                }
                if (n <= request.last()) {
                    held.set(f);
                    heldAt = at;
                }
            }
            if (n > request.last()) {
                return;
            }
            if (!held.present()) {
                throw new MediaException(file + ": no picture at or after frame " + n + " (at " + request.rate() + " fps)");
            }
            while (n <= request.last() && mapper.withinLast(n, heldAt)) {
                emit(n++, held.rgb());
            }
            if (n <= request.last() && !mapper.tolerableShortfall(n)) {
                throw new MediaException(file + ": video ends at frame " + n + " (at " + request.rate()
                        + " fps) but frames up to " + request.last() + " were requested");
            }
            // Up to MAX_SHORT_FRAMES missing at the very end: rounded container durations, repeat the last picture.
            while (n <= request.last()) {
                emit(n++, held.rgb());
            }
        }
    }

    private Frame nextPicture(FFmpegFrameGrabber g) throws Exception {
        if (closed || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
        Frame f;
        do {
            f = g.grabImage();
        } while (f != null && f.image == null);
        if (f != null) {
            grabbed.incrementAndGet();
        }
        return f;
    }

    /** Hands out a copy of {@code picture} as requested frame {@code n}: each frame owns its pixels. */
    private void emit(long n, ByteBuffer picture) throws InterruptedException {
        room.acquire();
        VideoFrame frame = new VideoFrame(n - request.first(), width, height, RgbCopy.copy(picture));
        int now = buffered.incrementAndGet();
        maxBuffered.accumulateAndGet(now, Math::max);
        queue.put(frame);
    }
}

package org.kinora.media.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.VideoFrame;

/**
 * Streams a frame range of one file as packed RGB. A daemon thread seeks to the range, decodes and converts (JavaCV's
 * swscale does the pixel format and size conversion natively) and hands frames over through a bounded queue, so decoding
 * overlaps the consumer and memory stays at {@code capacity} frames (plus the picture being held for repeats) whatever
 * the clip's length.
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
        // swscale converts and scales natively; we only copy the result out.
        g.setPixelFormat(AV_PIX_FMT_RGB24);
        g.setImageWidth(width);
        g.setImageHeight(height);
        return g;
    }

    /** A still has one picture; every requested frame is a copy of it. */
    private void decodeStill() throws Exception {
        ByteBuffer picture;
        try (FFmpegFrameGrabber g = grabber()) {
            g.start();
            Frame f = nextPicture(g);
            if (f == null) {
                throw new MediaException(file + ": the image has no picture");
            }
            picture = RgbCopy.fromGrabbed(f);
        }
        for (long n = request.first(); n <= request.last(); n++) {
            emit(n, picture);
        }
    }

    private void decodeStream() throws Exception {
        try (FFmpegFrameGrabber g = grabber()) {
            g.start();
            // Requested frame numbers count from the first picture, as editors do; transport streams start at e.g. 1.4 s.
            long start = g.getFormatContext().start_time();
            long origin = start == AV_NOPTS_VALUE ? 0 : start;
            long seek = mapper.seekMicros();
            if (seek > 0) {
                g.setVideoTimestamp(seek);
            }
            long n = request.first();
            ByteBuffer held = null;
            long heldAt = 0;
            Frame f;
            while (n <= request.last() && (f = nextPicture(g)) != null) {
                long at = f.timestamp - origin;
                if (held != null) {
                    while (n <= request.last() && mapper.shownBefore(n, at)) {
                        emit(n++, held);
                    }
                }
                if (n <= request.last()) {
                    held = RgbCopy.fromGrabbed(f);
                    heldAt = at;
                }
            }
            if (n > request.last()) {
                return;
            }
            if (held == null) {
                throw new MediaException(file + ": no picture at or after frame " + n + " (at " + request.rate() + " fps)");
            }
            while (n <= request.last() && mapper.withinLast(n, heldAt)) {
                emit(n++, held);
            }
            if (n <= request.last() && !mapper.tolerableShortfall(n)) {
                throw new MediaException(file + ": video ends at frame " + n + " (at " + request.rate()
                        + " fps) but frames up to " + request.last() + " were requested");
            }
            // Up to MAX_SHORT_FRAMES missing at the very end: rounded container durations, repeat the last picture.
            while (n <= request.last()) {
                emit(n++, held);
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

package org.kinora.media.internal;

import java.nio.file.Path;

import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaException;
import org.kinora.core.media.MediaInfo;
import org.kinora.core.media.MediaService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The media service: FFmpeg (through JavaCV) for probing, streaming decode of frame ranges and streaming encode.
 * Registered with Declarative Services; tests use the plain constructor.
 */
@Component(service = MediaService.class, configurationPid = "org.kinora.media")
@Designate(ocd = MediaConfig.class)
public final class MediaServiceImpl implements MediaService {

    /** Frames queued between decoder/encoder threads and their user: enough to overlap work, small enough for 4K. */
    static final int DEFAULT_QUEUE = 6;

    /** Largest side accepted (8K DCI is 8192 wide). */
    static final int MAX_SIDE = 8192;
    /** Most pixels per frame (8K UHD, 7680x4320, is 33.2 M): a queue of RGB frames stays within a few GB. */
    static final long MAX_PIXELS = 36L * 1024 * 1024;

    /**
     * Sizes come from files and projects that may be damaged or hostile; they are checked before any frame buffer is
     * allocated, so a header claiming 100000x100000 is an error, not an out-of-memory crash.
     */
    static void checkSize(Path file, String what, int width, int height) throws MediaException {
        if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
            throw new MediaException(file + ": " + what + " " + width + "x" + height + ", larger than Kinora handles ("
                    + MAX_SIDE + " pixels a side, " + MAX_PIXELS / (1024 * 1024) + " M pixels)");
        }
    }

    static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

    private final int decodeQueue;
    private final int encodeQueue;

    /** For tests and plain Java use: default queue sizes, JavaCPP's cache settings left as they are. */
    public MediaServiceImpl() {
        this(DEFAULT_QUEUE, DEFAULT_QUEUE);
    }

    MediaServiceImpl(int decodeQueue, int encodeQueue) {
        this.decodeQueue = Math.max(1, decodeQueue);
        this.encodeQueue = Math.max(1, encodeQueue);
    }

    @Activate
    public MediaServiceImpl(MediaConfig config) {
        this(config.decodeQueue(), config.encodeQueue());
        useCacheDir(config.javacppCacheDir());
    }

    /**
     * Gives JavaCPP's native cache a known home ({@code dir}, or {@code ~/.cache/kinora/javacpp} when empty) so the
     * ~100 MB of extracted FFmpeg libraries sit beside Kinora's other caches, but only when nobody set the system
     * property already: the launcher's or the user's own {@code -D} always wins. Must run before the first FFmpeg call,
     * which is why it happens at activation.
     */
    static void useCacheDir(String dir) {
        if (System.getProperty(CACHE_DIR_PROPERTY) != null) {
            return;
        }
        String value = dir == null || dir.isBlank()
                ? cacheHome().resolve("kinora").resolve("javacpp").toString()
                : dir;
        System.setProperty(CACHE_DIR_PROPERTY, value);
    }

    /** The XDG cache folder, as the {@code kinora} script uses it. */
    private static Path cacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    }

    @Override
    public MediaInfo probe(Path file) throws MediaException {
        return MediaProber.probe(file);
    }

    @Override
    public FrameSource open(Path file, DecodeRequest request) throws MediaException {
        MediaInfo info = MediaProber.probe(file);
        if (info.width() <= 0 || info.height() <= 0) {
            throw new MediaException(file + ": has no video stream");
        }
        checkSize(file, "its pictures are", info.width(), info.height());
        checkSize(file, "the requested size is", request.width(), request.height());
        return decoder(file, info, request).start();
    }

    /** The decoder, not yet started; tests reach its instrumentation through this. */
    FfmpegDecoder decoder(Path file, MediaInfo info, DecodeRequest request) {
        return new FfmpegDecoder(file, info, request, decodeQueue);
    }

    @Override
    public FrameSink create(Path output, EncodeSettings settings) throws MediaException {
        checkSize(output, "the frame size is", settings.width(), settings.height());
        return FfmpegEncoder.create(output, settings, encodeQueue);
    }
}

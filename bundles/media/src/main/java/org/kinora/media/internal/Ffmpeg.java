package org.kinora.media.internal;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.javacpp.BytePointer;
import org.kinora.core.media.MediaException;

/** Small FFmpeg helpers shared by the prober, decoder and encoder: log level, error text, C-string names. */
final class Ffmpeg {

    private static volatile boolean initialized;

    private Ffmpeg() {
    }

    /**
     * Loads the natives once and quiets FFmpeg's own logging to fatal messages: its per-packet warnings and its error
     * lines (e.g. "moov atom not found" before a failed open) would break the CLI's one-line errors, and every failure
     * we care about is reported through a {@link MediaException} anyway. {@code -Dkinora.ffmpeg.log=error|warning|info}
     * brings FFmpeg's own messages back for diagnosis.
     */
    static void init() {
        if (!initialized) {
            synchronized (Ffmpeg.class) {
                if (!initialized) {
                    av_log_set_level(switch (System.getProperty("kinora.ffmpeg.log", "fatal")) {
                        case "error" -> AV_LOG_ERROR;
                        case "warning" -> AV_LOG_WARNING;
                        case "info" -> AV_LOG_INFO;
                        default -> AV_LOG_FATAL;
                    });
                    initialized = true;
                }
            }
        }
    }

    /** FFmpeg's text for a negative error code, e.g. "Invalid data found when processing input". */
    static String errorText(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " (" + code + ")";
    }

    /** A C string, or null for a null pointer. */
    static String string(BytePointer p) {
        return p == null || p.isNull() ? null : p.getString();
    }

    /** FFmpeg's name for "not specified" colour fields; we report those as unknown (null). */
    static String knownName(BytePointer p) {
        String s = string(p);
        return s == null || s.equals("unknown") || s.equals("unspecified") || s.startsWith("reserved") ? null : s;
    }

    /**
     * Checks that {@code file} is a readable regular file before FFmpeg sees it, so a missing file or a directory gets a
     * plain message instead of an FFmpeg error code.
     */
    static void requireReadableFile(Path file) throws MediaException {
        if (file == null) {
            throw new MediaException("no media file given");
        }
        if (Files.isDirectory(file)) {
            throw new MediaException(file + ": is a directory, not a media file");
        }
        if (!Files.isRegularFile(file)) {
            throw new MediaException(file + ": no such file");
        }
        if (!Files.isReadable(file)) {
            throw new MediaException(file + ": not readable");
        }
    }

    /** One line naming the file and the problem, with the cause's message when it adds something. */
    static MediaException wrap(Path file, String what, Throwable cause) {
        if (cause instanceof MediaException me) {
            return me;
        }
        String detail = cause == null || cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage());
        return new MediaException(file + ": " + what + detail, cause);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

package org.kinora.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.kinora.core.media.DecodeRequest;
import org.kinora.core.media.EncodeSettings;
import org.kinora.core.media.FrameSink;
import org.kinora.core.media.FrameSource;
import org.kinora.core.media.MediaService;
import org.kinora.core.media.VideoFrame;
import org.kinora.core.time.FrameRate;

/** Test media made with our own encoder (or the ffmpeg CLI for audio), so every test knows exactly what is in it. */
final class Fixtures {

    static final int W = 160;
    static final int H = 96;
    /** Bits of the frame index drawn as vertical bars, wide enough to survive H.264. */
    static final int BITS = 8;

    private Fixtures() {
    }

    /** A frame whose picture encodes {@code index}: bar b is white when bit b is set, black otherwise. */
    static VideoFrame indexFrame(long index, int w, int h) {
        byte[] row = new byte[w * 3];
        int bar = w / BITS;
        for (int b = 0; b < BITS; b++) {
            byte v = (byte) (((index >> b) & 1) != 0 ? 255 : 0);
            for (int x = b * bar; x < (b + 1) * bar; x++) {
                row[x * 3] = v;
                row[x * 3 + 1] = v;
                row[x * 3 + 2] = v;
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(w * h * 3);
        for (int y = 0; y < h; y++) {
            buf.put(row);
        }
        return new VideoFrame(index, w, h, buf.flip());
    }

    /** Reads the index back from the centre of each bar. */
    static long decodeIndex(VideoFrame f) {
        int bar = f.width() / BITS;
        int y = f.height() / 2;
        long index = 0;
        for (int b = 0; b < BITS; b++) {
            int x = b * bar + bar / 2;
            int r = f.rgb().get((y * f.width() + x) * 3) & 0xff;
            if (r > 127) {
                index |= 1L << b;
            }
        }
        return index;
    }

    /** A frame of deterministic noise plus gradients: every byte value and neighbour pattern, for exact comparisons. */
    static VideoFrame noiseFrame(long index, int w, int h) {
        byte[] px = new byte[w * h * 3];
        long seed = 0x9E3779B97F4A7C15L * (index + 1);
        for (int i = 0; i < px.length; i++) {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            px[i] = (byte) ((i % 3 == 0) ? (i / 3 % w) * 255 / w : (int) seed);
        }
        return new VideoFrame(index, w, h, ByteBuffer.wrap(px));
    }

    /** Encodes {@code count} index frames. */
    static Path indexClip(MediaService media, Path out, EncodeSettings settings, int count) throws Exception {
        try (FrameSink sink = media.create(out, settings)) {
            for (int i = 0; i < count; i++) {
                sink.write(indexFrame(i, settings.width(), settings.height()));
            }
            assertEquals(count, sink.framesWritten());
            return sink.finish();
        }
    }

    /** Decodes a whole request into a list (fine for the short ranges tests use). */
    static List<VideoFrame> decodeAll(MediaService media, Path file, DecodeRequest r) throws Exception {
        List<VideoFrame> frames = new ArrayList<>();
        try (FrameSource src = media.open(file, r)) {
            VideoFrame f;
            while ((f = src.next()) != null) {
                frames.add(f);
            }
        }
        return frames;
    }

    static List<Long> indices(List<VideoFrame> frames) {
        return frames.stream().map(Fixtures::decodeIndex).toList();
    }

    static DecodeRequest range(long first, long last, FrameRate rate) {
        return new DecodeRequest(first, last, rate, 0, 0);
    }

    /** Runs the system ffmpeg CLI (test-only, to make sources JavaCV is not the author of). */
    static void ffmpeg(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + cmd + "\n" + out);
        }
    }
}

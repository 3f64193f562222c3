package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Renders with the real {@code melt} to raw RGB frames, for frame-by-frame comparison. */
final class MeltRender {

    private final byte[] data;
    private final int frameBytes;

    private MeltRender(byte[] data, int frameBytes) {
        this.data = data;
        this.frameBytes = frameBytes;
    }

    /** Renders frames {@code 0..lastFrame} of {@code source} (a project or media file) at {@code width x height}. */
    static MeltRender render(Path source, long lastFrame, int width, int height) throws Exception {
        Path out = Files.createTempFile("kinora-melt-", ".rgb");
        try {
            Process p = new ProcessBuilder("melt", "-quiet", source.toString(), "out=" + lastFrame, "-consumer", "avformat:" + out,
                    "f=rawvideo", "vcodec=rawvideo", "pix_fmt=rgb24", "width=" + width, "height=" + height, "an=1",
                    "real_time=0", "terminate_on_pause=1")
                    .directory(source.getParent().toFile()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(5, TimeUnit.MINUTES), "melt timed out on " + source);
            assertEquals(0, p.exitValue(), "melt failed on " + source + ": " + log);
            byte[] data = Files.readAllBytes(out);
            int fb = width * height * 3;
            assertEquals(0, data.length % fb, "partial frame in melt output of " + source);
            return new MeltRender(data, fb);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    int frames() {
        return data.length / frameBytes;
    }

    /** Mean absolute difference per channel value between frame {@code a} here and frame {@code b} of {@code other}. */
    double meanDiff(int a, MeltRender other, int b) {
        long sum = 0;
        int oa = a * frameBytes;
        int ob = b * other.frameBytes;
        for (int i = 0; i < frameBytes; i++) {
            sum += Math.abs((data[oa + i] & 0xff) - (other.data[ob + i] & 0xff));
        }
        return (double) sum / frameBytes;
    }
}

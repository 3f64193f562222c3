package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            List<String> cmd = List.of("melt", "-quiet", source.toString(), "out=" + lastFrame, "-consumer", "avformat:" + out,
                    "f=rawvideo", "vcodec=rawvideo", "pix_fmt=rgb24", "width=" + width, "height=" + height, "an=1", "real_time=0");
            if (!run(cmd, source.getParent(), 90)) {
                // melt 7.12 now and then stalls at start-up on a loaded machine; one retry
                System.out.println("melt stalled; retrying once: " + String.join(" ", cmd));
                assertTrue(run(cmd, source.getParent(), 180), "melt timed out twice on " + source);
            }
            byte[] data = Files.readAllBytes(out);
            int fb = width * height * 3;
            assertEquals(0, data.length % fb, "partial frame in melt output of " + source);
            return new MeltRender(data, fb);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean run(List<String> cmd, Path dir, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile("kinora-melt-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return false;
            }
            assertEquals(0, p.exitValue(), "melt failed: " + String.join(" ", cmd) + "\n" + Files.readString(log));
            return true;
        } finally {
            Files.deleteIfExists(log);
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

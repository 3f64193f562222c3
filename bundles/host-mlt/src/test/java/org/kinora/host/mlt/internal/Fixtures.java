package org.kinora.host.mlt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Test media made with the ffmpeg CLI, fixture projects copied beside it, and renders with the real melt. */
final class Fixtures {

    static final String SHOTCUT = "shotcut-22.12.mlt";
    static final String KDENLIVE_104 = "kdenlive-22.12-doc1.04.kdenlive";
    static final String KDENLIVE_11 = "kdenlive-23.08-doc1.1.kdenlive";
    /** {@link #SHOTCUT} opened and saved (ctrl+s) by the real Shotcut 22.12 (media paths stay relative). */
    static final String SHOTCUT_SAVED = "shotcut-22.12-saved-by-shotcut.mlt";
    /**
     * {@link #KDENLIVE_104} opened and saved by the real Kdenlive 22.12.3 (clips reloaded against the media of
     * {@link #makeMedia}, so real file hashes; the image and color bin producers are reused on the timeline), its
     * {@code root} put back to the placeholder.
     */
    static final String KDENLIVE_104_SAVED = "kdenlive-22.12.3-saved-by-kdenlive.kdenlive";
    static final int W = 320;
    static final int H = 180;
    static final int FRAME_BYTES = W * H * 3;

    private Fixtures() {
    }

    static void assumeTools() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg not installed");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/melt")), "melt not installed");
    }

    /** The source media every fixture refers to (as media/...). */
    static void makeMedia(Path mediaDir) throws Exception {
        Files.createDirectories(mediaDir);
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=4", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=4", "-c:v", "ffv1", "-pix_fmt", "bgr0", "-c:a", "pcm_s16le", "-shortest",
                mediaDir.resolve("intro.mkv").toString());
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=6", "-c:v", "ffv1", "-pix_fmt", "bgr0",
                mediaDir.resolve("city.mkv").toString());
        ffmpeg("-f", "lavfi", "-i", "smptebars=size=320x180", "-frames:v", "1", mediaDir.resolve("logo.png").toString());
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:duration=10", mediaDir.resolve("music.wav").toString());
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30000/1001", "-f", "lavfi", "-i", "sine=frequency=330",
                "-frames:v", "150", "-c:v", "ffv1", "-pix_fmt", "bgr0", "-c:a", "pcm_s16le", "-t", "5.005",
                mediaDir.resolve("ntsc_a.mkv").toString());
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x180:rate=30000/1001", "-frames:v", "120", "-c:v", "ffv1",
                "-pix_fmt", "bgr0", mediaDir.resolve("ntsc_b.mkv").toString());
    }

    /**
     * A clearly different "effect result": solid frames whose color depends on the frame number, lossless (ffv1 RGB),
     * at the project's size and rate, exactly {@code frames} long.
     */
    static Path resultMedia(Path dir, String name, int frames, String rate) throws Exception {
        Files.createDirectories(dir);
        Path out = dir.resolve(name);
        ffmpeg("-f", "lavfi", "-i", "color=c=black:size=320x180:rate=" + rate, "-vf",
                "format=gbrp,geq=r='mod(N*5+40,256)':g='mod(N*3+100,256)':b='200'", "-frames:v", Integer.toString(frames),
                "-c:v", "ffv1", "-pix_fmt", "bgr0", out.toString());
        return out;
    }

    /** Copies a fixture into {@code dir} next to a link to the media, pointing Kdenlive's root at {@code dir}. */
    static Path project(String fixture, Path dir, Path mediaDir) throws IOException {
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("media"))) {
            Files.createSymbolicLink(dir.resolve("media"), mediaDir);
        }
        String text;
        try (InputStream in = Fixtures.class.getResourceAsStream("/projects/" + fixture)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        text = text.replace("/home/editor/Videos/kinora-demo", dir.toString())
                .replace("/home/editor/Videos/kinora-ntsc", dir.toString());
        Path p = dir.resolve(fixture);
        Files.writeString(p, text);
        return p;
    }

    static void ffmpeg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        cmd.addAll(List.of(args));
        run(cmd, null, 180, true);
    }

    /** Renders a project with melt to raw rgb24 frames; {@code frames} bounds the render (see the 1.04 seek trap). */
    static byte[] render(Path project, long frames) throws Exception {
        Path out = Files.createTempFile(project.getParent(), "render", ".rgb");
        // real_time=0: frames are rendered in order on the consumer's own thread, none dropped
        List<String> cmd = List.of("/usr/bin/melt", project.toString(), "out=" + (frames - 1), "-consumer",
                "avformat:" + out, "f=rawvideo", "pix_fmt=rgb24", "an=1", "real_time=0");
        if (!run(cmd, project.getParent(), 60, false)) {
            // melt 7.12 very rarely stalls at start-up on a loaded machine; one retry, reported in the log
            System.out.println("melt stalled; retrying once: " + String.join(" ", cmd));
            run(cmd, project.getParent(), 120, true);
        }
        byte[] b = Files.readAllBytes(out);
        Files.delete(out);
        assertEquals(0, b.length % FRAME_BYTES, "whole frames");
        return b;
    }

    /** The frames of a media file as rgb24. */
    static byte[] decode(Path media) throws Exception {
        Path out = Files.createTempFile(media.getParent(), "decode", ".rgb");
        ffmpeg("-i", media.toString(), "-f", "rawvideo", "-pix_fmt", "rgb24", out.toString());
        byte[] b = Files.readAllBytes(out);
        Files.delete(out);
        return b;
    }

    static int frameCount(byte[] raw) {
        return raw.length / FRAME_BYTES;
    }

    /** Mean absolute difference per byte between frame {@code i} of {@code a} and frame {@code j} of {@code b}. */
    static double diff(byte[] a, int i, byte[] b, int j) {
        long sum = 0;
        int oa = i * FRAME_BYTES;
        int ob = j * FRAME_BYTES;
        for (int k = 0; k < FRAME_BYTES; k++) {
            sum += Math.abs((a[oa + k] & 0xff) - (b[ob + k] & 0xff));
        }
        return (double) sum / FRAME_BYTES;
    }

    /** Runs a tool; {@code false} when it timed out and {@code mustFinish} is false. */
    private static boolean run(List<String> cmd, Path dir, int timeoutSeconds, boolean mustFinish) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Path log = Files.createTempFile("kinora-tool", ".log");
        pb.redirectOutput(log.toFile());
        // melt reads keyboard commands from stdin; give it nothing to wait on
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
            p.waitFor();
        }
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        if (!done && !mustFinish) {
            return false;
        }
        assertTrue(done && p.exitValue() == 0, String.join(" ", cmd) + " failed:\n" + output);
        return true;
    }
}

package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.time.FrameRate;
import org.kinora.samples.ShotcutSampleProject;

/**
 * Ctrl-C on a running {@code kinora apply}, in a real separate process started the way the {@code kinora} script starts
 * it: the job stops, the partial media is removed, and the project is not touched.
 */
class CancelTest {

    @TempDir
    Path dir;

    @Test
    void interruptingApplyChangesNothing() throws Exception {
        // a 12 s clip, long enough to still be rendering when interrupted, made by the ffmpeg CLI (not under test here)
        Path media = Files.createDirectories(dir.resolve("media")).resolve("long.mp4");
        Process ff = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=12",
                "-f", "lavfi", "-i", "sine=frequency=300:duration=12", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", media.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String ffLog = new String(ff.getInputStream().readAllBytes());
        assertEquals(0, ff.waitFor(), ffLog);
        Path project = ShotcutSampleProject.write(dir.resolve("cancel.mlt"), 640, 360, FrameRate.FPS_25,
                List.of(new ShotcutSampleProject.Item(media, 300)));
        byte[] before = Files.readAllBytes(project);

        Path home = Path.of(System.getProperty("kinora.home", "../runtime/target/kinora"));
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-jar", home.resolve("lib/kinora-launcher.jar").toString(),
                "apply", project.toString(), "--clip", "V1:1", "--effect", "style-transfer")
                .redirectError(err.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        // wait until frames are flowing, i.e. result media is being written
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.readString(err).matches("(?s).*\\] [1-9][0-9]*/300 frames.*") && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(p.isAlive(), "apply still running when interrupted: " + Files.readString(err));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "apply stopped after Ctrl-C");
        String log = Files.readString(err);
        assertEquals(130, p.exitValue(), log);
        assertTrue(log.contains("kinora: cancelled; the project was not changed"), log);

        assertArrayEquals(before, Files.readAllBytes(project), "project untouched");
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> names = s.map(f -> dir.relativize(f).toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.startsWith("kinora-media") || n.contains(".partial") || n.endsWith(".bak")),
                    "no result media, partial file or backup left: " + names);
        }
    }
}

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

/**
 * Ctrl-C on a running {@code kinora apply}, in a real separate process started the way the {@code kinora} script starts
 * it: the job stops, the partial media is removed, and the project is not touched.
 */
class CancelTest {

    @TempDir
    Path dir;

    @Test
    void interruptingApplyChangesNothing() throws Exception {
        SharedRuntime.Result demo = SharedRuntime.cli("demo", "--dir", dir.toString(), "--width", "640", "--height", "360", "--seconds", "6",
                "--no-render");
        assertEquals(0, demo.exit(), demo.all());
        Path project = dir.resolve("demo.mlt");
        byte[] before = Files.readAllBytes(project);
        Files.deleteIfExists(dir.resolve("demo-styled.mlt"));
        deleteTree(dir.resolve("kinora-media"));

        Path home = Path.of(System.getProperty("kinora.home", "../runtime/target/kinora"));
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-jar", home.resolve("lib/kinora-launcher.jar").toString(),
                "apply", project.toString(), "--clip", "V1:2", "--effect", "style-transfer")
                .redirectError(err.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        // wait until frames are flowing, i.e. result media is being written
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.readString(err).matches("(?s).*\\] [1-9][0-9]*/150 frames.*") && p.isAlive() && System.currentTimeMillis() < deadline) {
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
            assertTrue(names.stream().noneMatch(n -> n.startsWith("kinora-media/") || n.contains(".partial") || n.endsWith(".bak")),
                    "no result media, partial file or backup left: " + names);
        }
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path f : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}

package org.kinora.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the real command line: each case exits non-zero with one line that names what is wrong, and
 * nothing on disk changes.
 */
class BadInputTest {

    @TempDir
    static Path dir;

    static Path project;

    @BeforeAll
    static void makeProject() throws Exception {
        SharedRuntime.Result r = SharedRuntime.cli("demo", "--dir", dir.resolve("demo").toString(), "--width", "160", "--height", "90",
                "--seconds", "0.4", "--no-render");
        assertEquals(0, r.exit(), r.all());
        project = dir.resolve("demo/demo.mlt");
    }

    /** Runs kinora and checks: exit code, a single line on stderr containing every {@code expected}, no change on disk. */
    private static void refused(int exit, String[] args, String... expected) throws Exception {
        Map<String, String> before = snapshot(dir);
        SharedRuntime.Result r = SharedRuntime.cli(args);
        assertEquals(exit, r.exit(), r.all());
        String err = r.err().strip();
        assertFalse(err.isEmpty(), "an error message");
        if (exit == 1) {
            assertEquals(1, err.lines().count(), "one line: " + err);
            assertTrue(err.startsWith("kinora: error: "), err);
        }
        for (String e : expected) {
            assertTrue(err.contains(e), "'" + e + "' in: " + err);
        }
        assertEquals(before, snapshot(dir), "nothing on disk changed");
    }

    private static String[] apply(Path p, String... more) {
        String[] base = {"apply", p.toString(), "--clip", "V1:2", "--effect", "style-transfer"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }

    @Test
    void missingProject() throws Exception {
        Path missing = dir.resolve("nope.mlt");
        refused(1, apply(missing), "project not found", missing.toString());
    }

    @Test
    void fileThatIsNotMltXml() throws Exception {
        Path bad = dir.resolve("notes.mlt");
        Files.writeString(bad, "this is not XML at all");
        refused(1, apply(bad), "notes.mlt");
        Path xml = dir.resolve("other.mlt");
        Files.writeString(xml, "<?xml version=\"1.0\"?><html><body/></html>");
        refused(1, apply(xml), "other.mlt");
        Path txt = dir.resolve("edit.txt");
        Files.writeString(txt, "x");
        refused(1, apply(txt), "not a Shotcut (.mlt) or Kdenlive (.kdenlive) project", "edit.txt");
    }

    @Test
    void clipThatDoesNotExist() throws Exception {
        refused(1, new String[] {"apply", project.toString(), "--clip", "V1:9", "--effect", "style-transfer"}, "V1:9");
        refused(1, new String[] {"apply", project.toString(), "--clip", "V7:1", "--effect", "style-transfer"}, "V7:1");
        refused(1, new String[] {"apply", project.toString(), "--clip", "no-such-producer", "--effect", "style-transfer"}, "no-such-producer");
    }

    @Test
    void unknownEffect() throws Exception {
        refused(1, new String[] {"apply", project.toString(), "--clip", "V1:2", "--effect", "teleport"}, "unknown effect 'teleport'",
                "style-transfer");
    }

    @Test
    void badParameters() throws Exception {
        refused(1, apply(project, "--set", "strength=2"), "strength", "0..1");
        refused(1, apply(project, "--set", "strength=lots"), "strength", "not a number");
        refused(1, apply(project, "--set", "style=watercolor"), "unknown style 'watercolor'", "cartoon, pencil, paint, starry");
        refused(1, apply(project, "--set", "colour=red"), "unknown parameter 'colour'", "style, strength");
    }

    @Test
    void missingOrCorruptMedia() throws Exception {
        Path copy = dir.resolve("copy");
        Files.createDirectories(copy.resolve("media"));
        Files.copy(project, copy.resolve("demo.mlt"));
        try (Stream<Path> s = Files.list(project.getParent().resolve("media"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().startsWith("sunset")) {
                    Files.copy(p, copy.resolve("media").resolve(p.getFileName()));
                }
            }
        }
        refused(1, apply(copy.resolve("demo.mlt")), "sunset.mp4");
        Files.writeString(copy.resolve("media/sunset.mp4"), "garbage, not a video");
        refused(1, apply(copy.resolve("demo.mlt")), "sunset.mp4");
    }

    @Test
    void usageErrors() throws Exception {
        refused(2, new String[] {"apply", project.toString(), "--effect", "style-transfer"}, "--clip");
        refused(2, apply(project, "--mode", "sideways"), "--mode");
        refused(2, new String[] {"frobnicate"}, "frobnicate");
    }
}

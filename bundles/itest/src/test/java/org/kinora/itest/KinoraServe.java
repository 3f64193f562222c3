package org.kinora.itest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kinora serve --port 0} of the assembled runtime as its own process, offline, with no token or remote backend
 * from the caller's environment; its output goes to {@code stdout.txt} and {@code stderr.txt} in a folder.
 */
final class KinoraServe {

    private KinoraServe() {
    }

    /**
     * Starts it.
     *
     * @param dir    where its output files go
     * @param models its model store
     * @param props  more JVM system properties ({@code -Dname=value})
     */
    static Process start(Path dir, Path models, String... props) throws Exception {
        Path home = Path.of(System.getProperty("kinora.home", "../runtime/target/kinora"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-Dkinora.models=" + models));
        cmd.addAll(List.of(props));
        cmd.addAll(List.of("-jar", home.resolve("lib/kinora-launcher.jar").toString(), "serve", "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().remove("KINORA_TOKEN");
        pb.environment().remove("KINORA_INFERENCE_URL");
        return pb.start();
    }

    /** Waits up to two minutes for a line of its output matching {@code line}; null when it never came (or it stopped). */
    static Matcher await(Process serve, Path dir, Pattern line) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && serve.isAlive()) {
            Matcher m = line.matcher(Files.readString(dir.resolve("stdout.txt")));
            if (m.find()) {
                return m;
            }
            Thread.sleep(100);
        }
        return null;
    }

    /** Its output so far, for failure messages. */
    static String logs(Path dir) throws Exception {
        return Files.readString(dir.resolve("stdout.txt")) + Files.readString(dir.resolve("stderr.txt"));
    }
}

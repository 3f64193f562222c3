package org.kinora.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code kinora}'s main class: starts the OSGi runtime from the assembly this jar sits in ({@code lib/} beside
 * {@code bundle/}) and hands the arguments to the command-line service.
 */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String[] args) throws Exception {
        defaults();
        Path bundles = bundleDir();
        if (!Files.isDirectory(bundles)) {
            System.err.println("kinora: no bundle folder at " + bundles + "; build with 'mvn install' or run ./kinora");
            return 1;
        }
        try (KinoraRuntime rt = KinoraRuntime.start(bundles)) {
            for (String p : rt.problems()) {
                System.err.println("kinora: warning: bundle did not start: " + p);
            }
            return rt.runCli(args, 60_000);
        }
    }

    /** Offline and headless unless the user said otherwise: nothing downloads at run time. */
    static void defaults() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("java.awt.headless", "true");
        // the engines log progress at INFO (library extraction, thread counts); the CLI prints its own progress
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // on machines without a usable CUDA driver DJL warns at every start, then correctly uses the CPU
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        // the same for ONNX Runtime's CPU build, which says it has no CUDA provider and runs on the CPU
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.onnxruntime.engine.OrtEngine", "error");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static Path bundleDir() throws Exception {
        Path jar = Paths.get(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        // commands that start a fresh Kinora process (the benchmark's memory runs) find the launcher here
        setIfAbsent("kinora.launcher.jar", jar.toString());
        String home = System.getProperty("kinora.home");
        if (home != null) {
            return Paths.get(home, "bundle");
        }
        return jar.getParent().getParent().resolve("bundle");
    }
}

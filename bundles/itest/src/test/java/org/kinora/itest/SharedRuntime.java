package org.kinora.itest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.kinora.runtime.KinoraRuntime;

/**
 * One Felix runtime with the real assembled bundles, shared by every test class in this JVM (booting it and warming
 * the native libraries takes seconds). Closed by a shutdown hook.
 */
final class SharedRuntime {

    private static KinoraRuntime runtime;

    private SharedRuntime() {
    }

    static synchronized KinoraRuntime get() throws Exception {
        if (runtime == null) {
            Path home = Path.of(System.getProperty("kinora.home", "../runtime/target/kinora"));
            runtime = KinoraRuntime.start(home.resolve("bundle"));
            KinoraRuntime rt = runtime;
            Runtime.getRuntime().addShutdownHook(new Thread(rt::close));
        }
        return runtime;
    }

    /** What a CLI run printed and returned. */
    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs the real {@code kinora} command line through the CLI service, capturing what it prints. */
    static synchronized Result cli(String... args) throws Exception {
        KinoraRuntime rt = get();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = rt.runCli(args, 60_000);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldOut.println("$ kinora " + String.join(" ", args) + "  -> exit " + code + "\n" + r.all());
        return r;
    }
}

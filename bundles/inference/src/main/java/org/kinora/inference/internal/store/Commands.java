package org.kinora.inference.internal.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.kinora.core.inference.ModelStoreException;

/** Runs the machine's own package tools ({@code npm}, {@code mvn}) and turns their failures into clear errors. */
final class Commands {

    /** Longest a package download may take. */
    private static final long TIMEOUT_MINUTES = 30;
    /** Output lines kept for an error message. */
    private static final int TAIL = 15;

    private Commands() {
    }

    /**
     * Runs {@code command} in {@code dir} and returns its standard output; stderr lines go to {@code log}.
     *
     * @param install what to install when the program is missing, e.g. "npm (Debian: apt install npm)"
     */
    static String run(List<String> command, Path dir, String install, Consumer<String> log) throws ModelStoreException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new ModelStoreException("cannot run '" + command.get(0) + "' (" + e.getMessage() + "): install " + install, e);
        }
        List<String> err = new ArrayList<>();
        Thread stderr = new Thread(() -> {
            try (var r = p.errorReader(StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    // Maven 3.8 writes color resets even in batch mode: keep the text only
                    line = line.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "");
                    if (line.isBlank()) {
                        continue;
                    }
                    synchronized (err) {
                        err.add(line);
                        if (err.size() > TAIL) {
                            err.remove(0);
                        }
                    }
                    if (!line.contains("Unknown user config")) { // npm's warning about the machine's own npmrc: noise here
                        log.accept("  " + command.get(0) + ": " + line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        }, "kinora-" + command.get(0) + "-stderr");
        stderr.setDaemon(true);
        stderr.start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new ModelStoreException("'" + String.join(" ", command) + "' took longer than " + TIMEOUT_MINUTES + " minutes");
            }
            stderr.join(5_000);
            if (p.exitValue() != 0) {
                List<String> tail = new ArrayList<>(List.of(out.strip().split("\n")));
                synchronized (err) {
                    tail.addAll(err);
                }
                tail = tail.subList(Math.max(0, tail.size() - TAIL), tail.size());
                throw new ModelStoreException("'" + String.join(" ", command) + "' failed (exit " + p.exitValue() + "): "
                        + String.join(" | ", tail.stream().map(String::strip).filter(s -> !s.isEmpty()).toList()));
            }
            return out;
        } catch (IOException e) {
            throw new ModelStoreException("'" + String.join(" ", command) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ModelStoreException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
    }
}

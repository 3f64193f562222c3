package org.kinora.cli.internal.panel;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The projects opened in the panel, most recent first (at most {@value #KEEP}), kept in the user's config folder
 * ({@code $XDG_CONFIG_HOME/kinora/panel-recent.json}, or {@code ~/.config/kinora/}; {@code -Dkinora.config=DIR} for
 * another). Projects no longer on disk are left out of the list.
 */
final class RecentProjects {

    static final int KEEP = 10;
    private final Path file;

    RecentProjects(Path configDir) {
        this.file = configDir.resolve("panel-recent.json");
    }

    /** The user's config folder for Kinora. */
    static Path defaultDir() {
        String prop = System.getProperty("kinora.config");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("kinora");
    }

    synchronized List<Path> list() {
        List<Path> out = new ArrayList<>();
        for (Path p : read()) {
            if (Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Puts {@code project} first. A config folder that cannot be written loses the list, not the open. */
    synchronized void add(Path project) {
        List<Path> all = new ArrayList<>(read());
        all.remove(project);
        all.add(0, project);
        while (all.size() > KEEP) {
            all.remove(all.size() - 1);
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".panel-recent", ".tmp");
            Files.write(tmp, PanelJson.bytes(all.stream().map(Path::toString).toList()));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the list is a convenience
        }
    }

    private List<Path> read() {
        List<Path> out = new ArrayList<>();
        try {
            if (Files.isRegularFile(file)) {
                JsonNode n = PanelJson.MAPPER.readTree(Files.readAllBytes(file));
                n.forEach(e -> out.add(Path.of(e.asText())));
            }
        } catch (IOException | RuntimeException e) {
            // a damaged list starts over
        }
        return out;
    }
}

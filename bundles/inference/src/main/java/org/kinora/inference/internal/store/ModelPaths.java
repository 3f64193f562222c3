package org.kinora.inference.internal.store;

import java.nio.file.Path;
import org.kinora.core.inference.ModelStoreException;

/** Paths named in cards: relative, '/'-separated, and never leaving the model's folder. */
final class ModelPaths {

    private ModelPaths() {
    }

    /** What is wrong with {@code p} as a card path, or null when it is fine. */
    static String problem(String p) {
        if (p.isEmpty() || p.length() > 255) {
            return "a file path must have 1 to 255 characters";
        }
        if (p.startsWith("/") || p.contains("\\") || p.contains(":") || p.indexOf('\0') >= 0) {
            return "'" + p + "' must be a relative path with '/' separators";
        }
        for (String part : p.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "'" + p + "' must stay inside the model folder (no empty, '.' or '..' parts)";
            }
        }
        if (p.equals(CardJson.FILE) || p.startsWith(".")) {
            return "'" + p + "' is reserved by the store";
        }
        return null;
    }

    /** {@code folder/p}, checked to lie inside {@code folder}. */
    static Path resolve(Path folder, String p) throws ModelStoreException {
        String problem = problem(p);
        Path f = folder.resolve(p).normalize();
        if (problem != null || !f.startsWith(folder.normalize())) {
            throw new ModelStoreException(folder + ": bad file path in card: " + (problem == null ? p : problem));
        }
        return f;
    }
}

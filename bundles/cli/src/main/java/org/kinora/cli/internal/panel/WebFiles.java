package org.kinora.cli.internal.panel;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * The panel's static files (HTML, CSS, ES modules), from the {@code org.kinora.ui} bundle's {@code web/} folder, or
 * from a folder (tests, development). Only plain names are served: a name with {@code ..}, a backslash or anything but
 * letters, digits and {@code -_./} is refused before any lookup, so no request can read outside the panel's files.
 */
public abstract class WebFiles {

    /** The panel bundle's symbolic name. */
    static final String UI_BUNDLE = "org.kinora.ui";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.[a-z0-9]+");

    /** The file's bytes, or empty when there is no such file or the name is not a plain one. */
    final Optional<byte[]> read(String name) throws IOException {
        if (name == null || !SAFE.matcher(name).matches()) {
            return Optional.empty();
        }
        return lookup(name);
    }

    abstract Optional<byte[]> lookup(String safeName) throws IOException;

    /** Files in a folder. */
    public static WebFiles of(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        return new WebFiles() {
            @Override
            Optional<byte[]> lookup(String name) throws IOException {
                Path p = root.resolve(name).normalize();
                return p.startsWith(root) && Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
            }
        };
    }

    /** Files in a bundle's {@code web/} folder. */
    static WebFiles of(Bundle bundle) {
        return new WebFiles() {
            @Override
            Optional<byte[]> lookup(String name) throws IOException {
                URL u = bundle.getEntry("web/" + name);
                if (u == null) {
                    return Optional.empty();
                }
                try (InputStream in = u.openStream()) {
                    return Optional.of(in.readAllBytes());
                }
            }
        };
    }

    /**
     * The installed panel: the {@code org.kinora.ui} bundle when running in OSGi, else the folder named by the
     * {@code kinora.panel.web} system property.
     *
     * @throws IllegalStateException when neither is there
     */
    public static WebFiles installed() {
        Bundle self = FrameworkUtil.getBundle(WebFiles.class);
        if (self != null && self.getBundleContext() != null) {
            for (Bundle b : self.getBundleContext().getBundles()) {
                if (UI_BUNDLE.equals(b.getSymbolicName()) && b.getEntry("web/index.html") != null) {
                    return of(b);
                }
            }
        }
        String dir = System.getProperty("kinora.panel.web");
        if (dir != null && Files.isRegularFile(Path.of(dir, "index.html"))) {
            return of(Path.of(dir));
        }
        throw new IllegalStateException("the panel's files are not installed (bundle " + UI_BUNDLE + " with web/index.html)");
    }
}

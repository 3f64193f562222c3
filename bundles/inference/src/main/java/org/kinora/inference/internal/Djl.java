package org.kinora.inference.internal;

import java.util.concurrent.Callable;

/**
 * The one door to DJL. DJL finds its engine providers ({@code ServiceLoader}) and its native resources through the thread
 * context class loader, so every entry point (engine lookup, manager creation, tensor work) runs through {@link #call}
 * with the TCCL set to this bundle's class loader; otherwise OSGi gives "Deep learning engine not found: PyTorch".
 */
public final class Djl {

    /** The engine this bundle embeds. */
    public static final String ENGINE = "PyTorch";

    private static final ClassLoader BUNDLE_LOADER = Djl.class.getClassLoader();

    private Djl() {
    }

    /** Offline by default: DJL must never reach the network at run time. Sets the flags only where they are unset. */
    public static void offlineDefaults() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /** Runs {@code work} with the thread context class loader set to this bundle's class loader. */
    public static <T> T call(Callable<T> work) throws Exception {
        offlineDefaults();
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(BUNDLE_LOADER);
        try {
            return work.call();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** {@link #call} for work that throws nothing checked. */
    public static <T> T get(java.util.function.Supplier<T> work) {
        try {
            return call(work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

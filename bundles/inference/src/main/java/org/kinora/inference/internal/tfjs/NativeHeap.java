package org.kinora.inference.internal.tfjs;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps glibc from returning the interpreter's working memory to the OS between ops.
 *
 * <p>PyTorch's CPU tensors come straight from {@code malloc}, and an interpreted graph allocates and frees one activation
 * per op (up to ~4 MB each for MoveNet thunder). With glibc's defaults, blocks past the (dynamic) mmap threshold are
 * mmap'ed and unmapped per op, and freed heap tops are trimmed, so every op page-faults its output in again: measured on
 * MoveNet lightning/thunder that was ~20-25% of a frame (a 1x1 conv writing 3.5 MB: 0.4 ms compute, 2-3 ms in the graph).
 * Raising the mmap threshold to its maximum (32 MB), the trim threshold to 64 MB and the top pad to 16 MB lets those
 * blocks be reused from the heap instead. That is a process-wide setting, done once; the cost is that up to 64 MB per
 * malloc arena of freed memory stays mapped. Linux/glibc only; elsewhere (or with {@code -Dkinora.malloc.tune=false}) it
 * does nothing.
 */
public final class NativeHeap {

    private static final Logger LOG = Logger.getLogger(NativeHeap.class.getName());
    private static final AtomicBoolean DONE = new AtomicBoolean();
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    private NativeHeap() {
    }

    /** glibc's malloc tuning call. */
    private interface LibC extends Library {
        int mallopt(int param, int value);
    }

    /** Applies the tuning once per process; later calls return at once. Never throws. */
    public static void tune() {
        if (!DONE.compareAndSet(false, true) || !Boolean.parseBoolean(System.getProperty("kinora.malloc.tune", "true"))) {
            return;
        }
        try {
            if (!Platform.isLinux()) {
                return;
            }
            NativeLibrary c = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
            c.getFunction("gnu_get_libc_version"); // throws UnsatisfiedLinkError on a libc that is not glibc (musl)
            LibC libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
            boolean ok = libc.mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1
                    & libc.mallopt(M_TRIM_THRESHOLD, 64 << 20) == 1
                    & libc.mallopt(M_TOP_PAD, 16 << 20) == 1;
            LOG.log(Level.FINE, "glibc malloc tuned for interpreted graphs: {0}", ok ? "ok" : "some settings refused");
        } catch (RuntimeException | LinkageError e) {
            // an optimization only: a missing JNA/libc symbol must not stop a model from loading
            LOG.log(Level.FINE, "glibc malloc tuning skipped: {0}", e.toString());
        }
    }
}

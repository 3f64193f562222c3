package org.kinora.inference.internal;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * How much memory the resident models of a device may take. Configured ({@code memory_budget_mb}, the same for every
 * active device), or by default a share of what the device has:
 * <ul>
 *   <li>CPU: {@value #CPU_SHARE_PERCENT}% of the physical RAM (the models' native memory lives beside the JVM heap,
 *       the editor and the media pipeline);</li>
 *   <li>GPU: {@value #GPU_SHARE_PERCENT}% of the total memory CUDA reports for it (the rest is for the call's working
 *       memory beyond the estimates, the CUDA context and the desktop).</li>
 * </ul>
 */
final class DeviceBudget {

    static final int CPU_SHARE_PERCENT = 50;
    static final int GPU_SHARE_PERCENT = 80;
    /** When the machine tells nothing: a modest 2 GiB. */
    static final long FALLBACK_BYTES = 2L << 30;

    private DeviceBudget() {
    }

    /** The budget of {@code device}: {@code configuredMb} MiB when positive, else the default share. */
    static long of(Device device, long configuredMb) {
        if (configuredMb > 0) {
            return Math.multiplyExact(configuredMb, 1024L * 1024);
        }
        return device.isGpu() ? gpuDefault(device) : cpuDefault();
    }

    static long cpuDefault() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                long total = os.getTotalMemorySize();
                if (total > 0) {
                    return total / 100 * CPU_SHARE_PERCENT;
                }
            }
        } catch (LinkageError e) {
            // a JVM (or an OSGi framework) without com.sun.management: fall through
        }
        return FALLBACK_BYTES;
    }

    static long gpuDefault(Device device) {
        try {
            MemoryUsage m = Djl.call(() -> CudaUtils.getGpuMemory(device));
            if (m != null && m.getMax() > 0) {
                return m.getMax() / 100 * GPU_SHARE_PERCENT;
            }
        } catch (Exception | LinkageError e) {
            // no CUDA runtime to ask: fall through
        }
        return FALLBACK_BYTES;
    }
}

package org.kinora.core.inference;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of the service's scheduler and devices.
 *
 * @param paused   whether the service is paused
 * @param queued   requests waiting, by priority
 * @param running  requests running now
 * @param devices  per active device: memory budget, use and resident models
 */
public record SchedulerStatus(boolean paused, Map<Priority, Integer> queued, int running, List<DeviceStatus> devices) {
    public SchedulerStatus {
        queued = Map.copyOf(queued);
        devices = List.copyOf(devices);
    }

    /**
     * One device's memory.
     *
     * @param device         the device id, e.g. {@code cpu()}
     * @param budgetBytes    the most memory resident models may take
     * @param residentBytes  the estimated memory of the resident models
     * @param residentModels the resident models, least recently used first
     */
    public record DeviceStatus(String device, long budgetBytes, long residentBytes, List<String> residentModels) {
        public DeviceStatus {
            residentModels = List.copyOf(residentModels);
        }
    }
}

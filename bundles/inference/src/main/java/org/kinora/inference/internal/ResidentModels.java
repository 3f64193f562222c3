package org.kinora.inference.internal;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kinora.core.inference.InferenceException;
import org.kinora.core.inference.SchedulerStatus.DeviceStatus;

/**
 * The models resident on one device, kept under the device's memory budget: a model that is not resident is loaded
 * after unloading the least recently used ones until its {@linkplain Model#memoryBytes estimate} fits. Used by the
 * device's worker thread only (a loaded model is never touched by another thread); {@link #snapshot} is what other
 * threads see.
 */
final class ResidentModels {

    private static final Logger LOG = Logger.getLogger(ResidentModels.class.getName());
    private static final long MB = 1024 * 1024;

    private record Resident(LoadedModel loaded, long bytes) {
    }

    private final Device device;
    private final long budgetBytes;
    /** In access order: least recently used first. */
    private final LinkedHashMap<String, Resident> resident = new LinkedHashMap<>(16, 0.75f, true);
    private long residentBytes;
    private volatile DeviceStatus snapshot;

    ResidentModels(Device device, long budgetBytes) {
        this.device = device;
        this.budgetBytes = budgetBytes;
        publish();
    }

    /**
     * The model resident and ready, loading it first (and unloading least recently used ones to make room) if needed.
     * Runs DJL work: call with DJL's class loader set.
     *
     * @throws InferenceException when the model's estimate exceeds the whole budget, or it fails to load
     */
    LoadedModel acquire(Model model) throws InferenceException {
        Resident r = resident.get(model.id());
        if (r != null) {
            publish();
            return r.loaded();
        }
        long need = Math.max(0, model.memoryBytes());
        if (need > budgetBytes) {
            throw new InferenceException("model '" + model.id() + "' needs about " + mb(need) + " of memory (its estimate), more than the "
                    + "whole budget of device " + device + " (" + mb(budgetBytes) + "); raise memory_budget_mb or use a smaller model");
        }
        Iterator<Map.Entry<String, Resident>> lru = resident.entrySet().iterator();
        while (residentBytes + need > budgetBytes && lru.hasNext()) {
            Map.Entry<String, Resident> e = lru.next();
            lru.remove();
            unload(e.getKey(), e.getValue());
        }
        LoadedModel loaded = model.load(device);
        if (loaded == null) {
            throw new InferenceException("model '" + model.id() + "' gave nothing when loaded on " + device);
        }
        resident.put(model.id(), new Resident(loaded, need));
        residentBytes += need;
        LOG.fine(() -> "loaded model '" + model.id() + "' on " + device + " (" + mb(need) + "; " + mb(residentBytes) + " of "
                + mb(budgetBytes) + " in use)");
        publish();
        return loaded;
    }

    /** Unloads every resident model (pause, stop). */
    void unloadAll() {
        for (Map.Entry<String, Resident> e : new ArrayList<>(resident.entrySet())) {
            unload(e.getKey(), e.getValue());
        }
        resident.clear();
        publish();
    }

    /** Unloads one model if it is resident (a load that left it unusable). */
    void unload(String modelId) {
        Resident r = resident.remove(modelId);
        if (r != null) {
            unload(modelId, r);
            publish();
        }
    }

    private void unload(String id, Resident r) {
        residentBytes -= r.bytes();
        try {
            r.loaded().close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "unloading model '" + id + "' from " + device + " failed", e);
        }
        LOG.fine(() -> "unloaded model '" + id + "' from " + device);
    }

    /** Budget, use and resident models (least recently used first), as of the last change. */
    DeviceStatus snapshot() {
        return snapshot;
    }

    private void publish() {
        snapshot = new DeviceStatus(device.toString(), budgetBytes, residentBytes, List.copyOf(resident.keySet()));
    }

    private static String mb(long bytes) {
        return bytes >= 10 * MB ? (bytes / MB) + " MB" : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) MB);
    }
}

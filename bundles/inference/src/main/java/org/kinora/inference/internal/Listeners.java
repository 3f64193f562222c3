package org.kinora.inference.internal;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kinora.core.inference.InferenceEvent;
import org.kinora.core.inference.InferenceEvent.Kind;
import org.kinora.core.inference.InferenceListener;

/** The scheduler's event listeners. A listener that throws is logged and skipped: it never breaks the scheduler. */
final class Listeners {

    private static final Logger LOG = Logger.getLogger(Listeners.class.getName());

    private final CopyOnWriteArrayList<InferenceListener> listeners = new CopyOnWriteArrayList<>();

    void add(InferenceListener l) {
        if (l != null) {
            listeners.addIfAbsent(l);
        }
    }

    void remove(InferenceListener l) {
        listeners.remove(l);
    }

    /** Sends an event about {@code s} to every listener, on the calling thread. */
    void emit(Kind kind, Scheduled s, String device, double progress, int batchSize, String message) {
        if (listeners.isEmpty()) {
            return;
        }
        InferenceEvent e = new InferenceEvent(kind, s.id, s.request.jobId(), s.modelId(), device, progress, batchSize, message);
        for (InferenceListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (VirtualMachineError fatal) {
                throw fatal;
            } catch (RuntimeException | Error broken) {
                LOG.warning(() -> "inference listener " + l + " failed on " + kind + " of " + s + ": " + broken);
                LOG.log(Level.FINE, "listener failure", broken);
            }
        }
    }
}

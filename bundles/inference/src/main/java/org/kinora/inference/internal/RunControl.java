package org.kinora.inference.internal;

import java.util.concurrent.CancellationException;

/** What a running call sees of its scheduler: cancellation checkpoints and progress reports. */
public interface RunControl {

    /** A control that is never cancelled and ignores progress (tests, warm-up). */
    RunControl NONE = new RunControl() {
        @Override
        public void checkpoint() {
        }

        @Override
        public void progress(double fraction) {
        }
    };

    /**
     * Throws when every request in the running batch was cancelled (or the service stops), so a long call stops within one
     * step. Models call it between steps (layers, frames, tiles).
     *
     * @throws CancellationException when the call should stop
     */
    void checkpoint();

    /** Reports the fraction of the call done, in [0, 1]. */
    void progress(double fraction);
}

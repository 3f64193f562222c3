package org.kinora.core.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kinora.core.job.JobContext;

/**
 * A job context for effect tests: records progress reports ({@code [done, total]}) and cancels itself once progress
 * reaches {@link #cancelAfter}, as a user pressing Ctrl-C mid-render would.
 */
public final class RecordingJob implements JobContext {

    /** Set when the job is cancelled. */
    public final AtomicBoolean cancelled = new AtomicBoolean();
    /** Every progress report, {@code [done, total]}. */
    public final List<long[]> progress = Collections.synchronizedList(new ArrayList<>());
    /** Cancel once this much is done (never, by default). */
    public volatile long cancelAfter = Long.MAX_VALUE;

    @Override
    public String jobId() {
        return "job-1";
    }

    @Override
    public boolean isCancelled() {
        return cancelled.get();
    }

    @Override
    public void progress(long done, long total) {
        progress.add(new long[] {done, total});
        if (done >= cancelAfter) {
            cancelled.set(true);
        }
    }
}

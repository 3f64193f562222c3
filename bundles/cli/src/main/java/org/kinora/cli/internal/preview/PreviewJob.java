package org.kinora.cli.internal.preview;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.kinora.core.job.JobContext;

/**
 * The job a preview's effect sees: interactive (its inference goes ahead of final renders), and "cancelled" as soon as
 * the frame is captured, which is how the effect learns that it may stop.
 */
public final class PreviewJob implements JobContext {

    private final String id;
    private volatile boolean stop;

    public PreviewJob() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        this.id = "preview-" + HexFormat.of().formatHex(b);
    }

    @Override
    public String jobId() {
        return id;
    }

    @Override
    public boolean isCancelled() {
        return stop;
    }

    @Override
    public void progress(long done, long total) {
        // one frame: nothing worth showing
    }

    @Override
    public boolean interactive() {
        return true;
    }

    /** The user gave up (Ctrl-C). */
    public void cancel() {
        stop = true;
    }

    void done() {
        stop = true;
    }
}

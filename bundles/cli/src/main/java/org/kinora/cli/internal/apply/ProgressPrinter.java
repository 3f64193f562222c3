package org.kinora.cli.internal.apply;

import java.io.PrintWriter;
import java.util.function.Consumer;

import org.kinora.core.job.Progress;

/**
 * Prints job progress: a bar redrawn in place on a terminal, or a line every few seconds when output goes to a file or
 * pipe (so logs stay readable).
 */
public final class ProgressPrinter implements Consumer<Progress> {

    /** What a job counts in its progress reports. */
    public enum Unit {
        /** Frames rendered: {@code 45/120 frames ... 3.2 fps}. */
        FRAMES,
        /** Denoising steps of a generator: {@code step 3/12 ... 0.4 steps/s}. */
        STEPS
    }

    private final PrintWriter err;
    private final boolean terminal;
    private final Unit unit;
    private long lastPrint;
    private boolean drew;

    public ProgressPrinter(PrintWriter err, boolean terminal) {
        this(err, terminal, Unit.FRAMES);
    }

    public ProgressPrinter(PrintWriter err, boolean terminal, Unit unit) {
        this.err = err;
        this.terminal = terminal;
        this.unit = unit;
    }

    @Override
    public synchronized void accept(Progress p) {
        long now = System.nanoTime();
        boolean last = p.total() > 0 && p.done() >= p.total();
        long every = terminal ? 200_000_000L : 5_000_000_000L;
        if (!last && now - lastPrint < every && p.done() > 0) {
            return;
        }
        lastPrint = now;
        String line = format(p, unit);
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
            drew = true;
            if (last) {
                err.println();
                drew = false;
            }
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends a bar left on the line. */
    public synchronized void finish() {
        if (drew) {
            err.println();
            drew = false;
        }
    }

    /** {@code [#########.........]  45/120 frames  37%  3.2 fps  0:23 left}. */
    public static String format(Progress p) {
        return format(p, Unit.FRAMES);
    }

    /**
     * {@code [#########.........]  45/120 frames  37%  3.2 fps  0:23 left}, or for steps
     * {@code [#########.........] step 3/8  37%  0.40 steps/s  0:12 left}.
     */
    public static String format(Progress p, Unit unit) {
        int width = 24;
        int filled = (int) Math.round(p.fraction() * width);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String left = p.secondsLeft() < 0 ? "--:--" : clock(p.secondsLeft());
        long percent = Math.round(p.fraction() * 100);
        if (unit == Unit.STEPS) {
            // a step of a video generator takes seconds: two decimals keep a slow rate readable
            return String.format("[%s] step %d/%d %3d%%  %.2f steps/s  %s left", bar, p.done(), p.total(), percent,
                    p.unitsPerSecond(), left);
        }
        return String.format("[%s] %d/%d frames %3d%%  %.1f fps  %s left", bar, p.done(), p.total(), percent,
                p.unitsPerSecond(), left);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}

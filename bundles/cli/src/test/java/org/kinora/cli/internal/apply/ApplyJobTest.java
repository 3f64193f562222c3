package org.kinora.cli.internal.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ApplyJobTest {

    /** Work as an effect does it: one progress report per frame, stopping when cancelled. */
    private static Thread work(ApplyJob job, long frames, AtomicLong reached, CountDownLatch ended) {
        Thread t = new Thread(() -> {
            job.started();
            for (long f = 1; f <= frames && !job.isCancelled(); f++) {
                job.progress(f, frames);
                reached.set(f);
            }
            ended.countDown();
        });
        t.setDaemon(true);
        return t;
    }

    @Test
    void aPausedJobHoldsAtItsNextReportAndGoesOnWhenResumed() throws Exception {
        ApplyJob job = new ApplyJob();
        AtomicLong reached = new AtomicLong();
        CountDownLatch ended = new CountDownLatch(1);
        job.pause();
        assertTrue(job.isPaused());
        work(job, 1000, reached, ended).start();
        assertFalse(ended.await(300, TimeUnit.MILLISECONDS), "a paused job must not run to its end");
        // held inside the report of frame 1: the report went out, the frame after it did not start
        assertEquals(1, job.progress().done());
        assertEquals(0, reached.get());
        job.resume();
        assertFalse(job.isPaused());
        assertTrue(ended.await(10, TimeUnit.SECONDS), "a resumed job must finish");
        assertEquals(1000, reached.get());
        assertEquals(1000, job.progress().done());
    }

    @Test
    void cancellingAPausedJobReleasesIt() throws Exception {
        ApplyJob job = new ApplyJob();
        AtomicLong reached = new AtomicLong();
        CountDownLatch ended = new CountDownLatch(1);
        job.pause();
        work(job, 1000, reached, ended).start();
        assertFalse(ended.await(200, TimeUnit.MILLISECONDS));
        job.cancel();
        assertTrue(ended.await(10, TimeUnit.SECONDS), "cancel must release a paused job");
        assertTrue(reached.get() <= 1, "a cancelled job stops at once, reached frame " + reached.get());
    }

    @Test
    void timeSpentPausedIsNotCountedInTheThroughput() throws Exception {
        ApplyJob job = new ApplyJob();
        job.started();
        job.progress(10, 100);
        Thread.sleep(20);
        job.progress(20, 100);
        job.pause();
        Thread t = new Thread(() -> job.progress(30, 100));
        t.start();
        Thread.sleep(1500);
        job.resume();
        t.join(5000);
        job.progress(40, 100);
        // 40 frames in well under a second of work: counting the 1.5 s pause would put the rate near 25 fps
        assertTrue(job.progress().unitsPerSecond() > 100, "rate " + job.progress().unitsPerSecond());
        assertTrue(job.elapsedSeconds() < 1.0, "elapsed " + job.elapsedSeconds());
    }
}

package com.microdrama.transcode;

import io.quarkus.logging.Log;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Renews a running job's lease on a timer and carries its progress; tells the job when to stop: an operator
 * cancelled it, its lease is gone, or this worker is shutting down.
 */
final class Heartbeat implements AutoCloseable {

    private final JobStore store;
    private final ClaimedJob job;
    private final Duration lease;
    private final ScheduledFuture<?> timer;
    private final BooleanSupplier shuttingDown;
    private volatile int progress;
    private volatile JobStore.Verdict verdict = JobStore.Verdict.CONTINUE;

    Heartbeat(JobStore store, ClaimedJob job, Duration lease, Duration every, ScheduledExecutorService scheduler,
              BooleanSupplier shuttingDown) {
        this.store = store;
        this.shuttingDown = shuttingDown;
        this.job = job;
        this.lease = lease;
        this.timer = scheduler.scheduleWithFixedDelay(this::beat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void progress(int percent) {
        progress = Math.max(progress, Math.min(99, percent));
    }

    JobStore.Verdict verdict() {
        return verdict;
    }

    boolean stopRequested() {
        return verdict != JobStore.Verdict.CONTINUE || shuttingDown.getAsBoolean();
    }

    /** This worker is stopping while the job is still its own: the job goes back to the queue. */
    boolean handingBack() {
        return verdict == JobStore.Verdict.CONTINUE && shuttingDown.getAsBoolean();
    }

    private void beat() {
        if (stopRequested()) {
            return;
        }
        try {
            verdict = store.heartbeat(job, lease, progress);
            if (stopRequested()) {
                Log.infof("Job %s attempt %d stops: %s", job.id(), job.attempt(), verdict);
            }
        } catch (RuntimeException e) {
            // A missed beat is not fatal: the lease outlives several heartbeats.
            Log.warnf("Heartbeat of job %s failed: %s", job.id(), e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.cancel(false);
    }
}

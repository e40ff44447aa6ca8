package com.microdrama.transcode;

import com.microdrama.core.config.AppConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The embedded worker pool: N threads, each leasing one job at a time from the shared PostgreSQL queue. Any
 * number of processes can run these against the same database and storage; SKIP LOCKED keeps them apart.
 */
@ApplicationScoped
public class TranscodeWorker {

    /** How long stopping workers get to hand their jobs back before they are interrupted. */
    static final Duration HAND_BACK_GRACE = Duration.ofSeconds(5);

    private final TranscodeConfig config;
    private final JobStore store;
    private final JobRunner runner;
    private final ScratchSpace scratch;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<String> names = new ArrayList<>();
    private ExecutorService workers;
    private ScheduledExecutorService heartbeats;

    TranscodeWorker(TranscodeConfig config, JobStore store, JobRunner runner, ScratchSpace scratch) {
        this.config = config;
        this.scratch = scratch;
        this.store = store;
        this.runner = runner;
    }

    void onStart(@Observes StartupEvent event, AppConfig app) {
        if (config.worker().enabled() && app.role().runsWorkers()) {
            start(config.worker().concurrency());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start(int concurrency) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        String base = config.worker().name().orElse(ManagementFactory.getRuntimeMXBean().getName());
        workers = Executors.newFixedThreadPool(concurrency, r -> new Thread(r, "transcode-worker"));
        // Heartbeats and the sweep: a slow sweep must not delay a lease renewal.
        heartbeats = Executors.newScheduledThreadPool(2, r -> new Thread(r, "transcode-heartbeat"));
        try {
            scratch.ffmpegDir();
        } catch (RuntimeException e) {
            Log.warnf("ffmpeg is not usable yet: %s", e.getMessage()); // readiness reports it
        }
        long sweepEvery = config.worker().sweepEvery().toMillis();
        heartbeats.scheduleWithFixedDelay(this::sweep, 0, sweepEvery, TimeUnit.MILLISECONDS);
        for (int i = 0; i < concurrency; i++) {
            String name = base + "#" + i;
            names.add(name);
            workers.submit(() -> loop(name));
        }
        Log.infof("Transcode workers started: %s", names);
    }

    public synchronized void stop() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        // Each worker sees the stop within a poll of ffmpeg (250 ms) or between two uploads, kills ffmpeg and hands
        // its job back; one blocked in a download is interrupted after the grace.
        workers.shutdown();
        try {
            if (!workers.awaitTermination(HAND_BACK_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(10, TimeUnit.SECONDS);
            }
            heartbeats.shutdownNow();
            store.workersGone(names);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            Log.debugf("Worker rows not removed (the database may be gone already): %s", e.getMessage());
        }
        names.clear();
    }

    /** The worker threads of this process, empty when it runs none. */
    public synchronized List<String> names() {
        return List.copyOf(names);
    }

    public synchronized boolean running() {
        return running.get() && workers != null && !workers.isTerminated();
    }

    private void loop(String name) {
        while (running.get() && !Thread.currentThread().isInterrupted()) {
            try {
                store.workerSeen(name, null);
                Optional<ClaimedJob> job = store.claim(name, config.worker().lease());
                if (job.isPresent()) {
                    store.workerSeen(name, job.get().id());
                    runner.run(job.get(), heartbeats, () -> !running.get());
                } else {
                    Thread.sleep(config.worker().pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return;
                }
                Log.warnf("Transcode worker %s: %s", name, e.getMessage());
                sleepQuietly(config.worker().pollInterval().toMillis());
            }
        }
    }

    private void sweep() {
        try {
            scratch.sweep();
        } catch (RuntimeException e) {
            Log.warnf("Scratch sweep failed: %s", e.getMessage());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

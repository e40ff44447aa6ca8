package com.microdrama.transcode;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline's metrics at /q/metrics. Queue depth is the shared queue's (every process reports the same figures;
 * read them from one), refreshed on a timer rather than counted per event so that it stays right across processes.
 * Durations, failures, retries and speeds are this process's own workers'.
 */
@ApplicationScoped
public class TranscodeMetrics {

    private final Pool pool;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final AtomicLong oldestQueuedSeconds = new AtomicLong();
    private final DistributionSummary encodeSpeed;

    TranscodeMetrics(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
        for (String state : JobState.NAMES) {
            AtomicLong value = registry.gauge("transcode.jobs", io.micrometer.core.instrument.Tags.of("state", state),
                    new AtomicLong());
            depth.put(state, value);
        }
        registry.gauge("transcode.queue.oldest.age.seconds", oldestQueuedSeconds);
        // Registered up front so that a scraper sees 0 rather than nothing before the first retry or failure.
        registry.counter("transcode.job.retries");
        for (String reason : List.of("media", "retries_exhausted", "worker_lost")) {
            registry.counter("transcode.job.failures", "reason", reason);
        }
        encodeSpeed = DistributionSummary.builder("transcode.encode.speed")
                .description("Encode speed of finished jobs, × realtime").baseUnit("ratio").register(registry);
    }

    @Scheduled(every = "${transcode.metrics-refresh:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query("""
                        select state, count(*) as jobs,
                            coalesce(extract(epoch from now() - min(queued_at)), 0)::bigint as oldest
                        from transcode_job group by state
                        """).execute()
                .invoke(rows -> {
                    depth.values().forEach(v -> v.set(0));
                    oldestQueuedSeconds.set(0);
                    rows.forEach(row -> {
                        depth.get(row.getString("state")).set(row.getLong("jobs"));
                        if ("queued".equals(row.getString("state"))) {
                            oldestQueuedSeconds.set(row.getLong("oldest"));
                        }
                    });
                })
                .onFailure().invoke(e -> Log.debugf("Queue metrics not refreshed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** One attempt's wall time by how it ended: succeeded, failed, retry, cancelled or abandoned. */
    void attemptEnded(String outcome, Duration took) {
        Timer.builder("transcode.job.duration").tag("outcome", outcome).register(registry).record(took);
    }

    /** reason: media (ffmpeg cannot decode it), retries_exhausted, worker_lost. */
    void failed(String reason) {
        failed(reason, 1);
    }

    void failed(String reason, int jobs) {
        registry.counter("transcode.job.failures", "reason", reason).increment(jobs);
    }

    void retried() {
        registry.counter("transcode.job.retries").increment();
    }

    void encoded(double speed) {
        encodeSpeed.record(speed);
    }
}

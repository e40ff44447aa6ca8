package com.microdrama.transcode;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** The hand-off point from upload to transcode: a job row written in the caller's transaction. */
@ApplicationScoped
public class TranscodeQueue {

    private final TranscodeConfig config;

    TranscodeQueue(TranscodeConfig config) {
        this.config = config;
    }

    /**
     * Queues the transcode of a new episode version. Must run inside the transaction that creates the version,
     * so that a version never exists without its job (and a job never without its version).
     */
    public Uni<TranscodeJob> enqueue(UUID versionId) {
        TranscodeJob job = new TranscodeJob();
        job.id = UUID.randomUUID();
        job.versionId = versionId;
        job.state = TranscodeJob.State.QUEUED;
        job.maxAttempts = config.maxAttempts();
        job.queuedAt = Instant.now();
        job.nextRunAt = job.queuedAt;
        job.updatedAt = job.queuedAt;
        Log.debugf("Queued transcode job %s for version %s", job.id, versionId);
        return Panache.getSession().flatMap(session -> session.persist(job)).replaceWith(job);
    }
}

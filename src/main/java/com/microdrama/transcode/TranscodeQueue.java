package com.microdrama.transcode;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The hand-off point from upload to transcode: a job row written in the caller's transaction. */
@ApplicationScoped
public class TranscodeQueue {

    private final TranscodeConfig config;

    TranscodeQueue(TranscodeConfig config) {
        this.config = config;
    }

    /**
     * Queues the transcode of a producer's new episode version. Must run inside the transaction that creates the
     * version, so that a version never exists without its job (and a job never without its version).
     */
    public Uni<UUID> enqueue(SqlClient tx, UUID versionId) {
        return enqueue(tx, versionId, JobPriority.PRODUCER_UPLOAD);
    }

    /** The same, for work of another kind (a dub, a re-encode), which waits behind producers' uploads. */
    public Uni<UUID> enqueue(SqlClient tx, UUID versionId, JobPriority priority) {
        UUID jobId = UUID.randomUUID();
        Log.debugf("Queued transcode job %s for version %s (%s)", jobId, versionId, priority);
        return tx.preparedQuery("insert into transcode_job (id, version_id, max_attempts, priority) values ($1, $2, $3, $4)")
                .execute(Tuple.of(jobId, versionId, config.maxAttempts(), priority.value()))
                .replaceWith(jobId);
    }

    /** Queues the audio-only job that makes dub {@code trackId} of a ready version, in the caller's transaction. */
    public Uni<UUID> enqueueDub(SqlClient tx, UUID versionId, UUID trackId) {
        UUID jobId = UUID.randomUUID();
        return tx.preparedQuery("""
                        insert into transcode_job (id, version_id, max_attempts, priority, kind, track_id)
                        values ($1, $2, $3, $4, 'dub', $5)
                        """).execute(Tuple.of(jobId, versionId, config.maxAttempts(), JobPriority.DUB.value(), trackId))
                .replaceWith(jobId);
    }
}

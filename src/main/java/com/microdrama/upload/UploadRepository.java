package com.microdrama.upload;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The upload rows: Panache for the upload's own bookkeeping, and one SQL statement for the intake, whose transaction
 * it shares with the episode version and the transcode job.
 */
@ApplicationScoped
public class UploadRepository implements PanacheRepositoryBase<Upload, UUID> {

    /** The upload became the given version, in the intake's transaction. */
    public Uni<Void> completed(SqlClient tx, UUID id, UUID versionId, long size, String sha256) {
        return tx.preparedQuery("""
                        update upload set state = 'completed', version_id = $2, size = $3, sha256 = $4, finished_at = now()
                        where id = $1
                        """).execute(Tuple.of(id, versionId, size, sha256)).replaceWithVoid();
    }

    /** Moves an upload from one state to another only if no one else did first; true when this caller won. */
    public Uni<Boolean> transition(UUID id, Upload.State from, Upload.State to) {
        return update("state = ?1 where id = ?2 and state = ?3", to, id, from).map(rows -> rows == 1);
    }

    /** Closed uploads whose clean-up did not reach storage, oldest first. */
    public Uni<List<Upload>> discardPending(int limit) {
        return find("discardPending = true order by finishedAt").page(0, limit).list();
    }

    /** What the upload stored is gone. */
    public Uni<Integer> discarded(UUID id) {
        return update("discardPending = false where id = ?1", id);
    }

    /** Unfinished uploads past their expiry, oldest first. */
    public Uni<List<Upload>> expired(Instant now, int limit) {
        return find("state in ?1 and expiresAt < ?2 order by expiresAt",
                List.of(Upload.State.PENDING, Upload.State.COMPLETING), now)
                .page(0, limit).list();
    }
}

package com.microdrama.transcode;

import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** What operators (and the admin API) can do to a job. */
@ApplicationScoped
public class TranscodeService {

    private final Pool pool;

    TranscodeService(Pool pool) {
        this.pool = pool;
    }

    /**
     * A queued job is cancelled at once; a running one is flagged, and its worker kills ffmpeg at its next
     * heartbeat and records the cancellation.
     */
    public Uni<String> cancel(UUID jobId) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        update transcode_job set cancel_requested = true, updated_at = now(),
                            state = case when state = 'queued' then 'cancelled' else state end,
                            finished_at = case when state = 'queued' then now() else finished_at end
                        where id = $1 and state in ('queued', 'running')
                        returning state, version_id
                        """).execute(Tuple.of(jobId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return exists(jobId).map(found -> {
                            throw found
                                    ? ApiException.conflict("job " + jobId + " has already finished; nothing to cancel")
                                    : ApiException.notFound("job", jobId);
                        });
                    }
                    var row = rows.iterator().next();
                    String state = row.getString("state");
                    if (!"cancelled".equals(state)) {
                        return Uni.createFrom().item(state);
                    }
                    return tx.preparedQuery("update episode_version set state = 'cancelled', failure_reason = 'cancelled by an operator' where id = $1")
                            .execute(Tuple.of(row.getUUID("version_id"))).replaceWith(state);
                }));
    }

    private Uni<Boolean> exists(UUID jobId) {
        return pool.preparedQuery("select 1 from transcode_job where id = $1").execute(Tuple.of(jobId))
                .map(rows -> rows.size() > 0);
    }
}

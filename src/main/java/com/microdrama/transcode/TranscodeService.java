package com.microdrama.transcode;

import com.microdrama.catalogue.EpisodeLifecycle;
import com.microdrama.catalogue.EpisodeVersion;
import com.microdrama.catalogue.MediaTracks;
import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** What operators (and the admin API) can do to a job. */
@ApplicationScoped
public class TranscodeService {

    private final Pool pool;
    private final TranscodeConfig config;
    private final EpisodeLifecycle lifecycle;
    private final MediaTracks tracks;

    TranscodeService(Pool pool, TranscodeConfig config, EpisodeLifecycle lifecycle, MediaTracks tracks) {
        this.pool = pool;
        this.config = config;
        this.lifecycle = lifecycle;
        this.tracks = tracks;
    }

    /**
     * Puts a failed or cancelled job back in the queue with a fresh allowance of attempts. Earlier attempts stay in
     * its history; the version (and an episode that has nothing playable yet) is back in processing.
     */
    public Uni<Void> retry(UUID jobId) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        update transcode_job set state = 'queued', max_attempts = attempts + $2, next_run_at = now(),
                            cancel_requested = false, progress = 0, finished_at = null, error_message = null,
                            error_log_tail = null, updated_at = now()
                        where id = $1 and state in ('failed', 'cancelled')
                        returning version_id, track_id
                        """).execute(Tuple.of(jobId, config.maxAttempts()))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return tx.preparedQuery("select state from transcode_job where id = $1").execute(Tuple.of(jobId))
                                .map(found -> {
                                    if (found.size() == 0) {
                                        throw ApiException.notFound("job", jobId);
                                    }
                                    throw ApiException.conflict("job " + jobId + " is "
                                            + found.iterator().next().getString("state")
                                            + "; only failed or cancelled jobs can be retried");
                                });
                    }
                    var row = rows.iterator().next();
                    return row.getUUID("track_id") != null ? tracks.dubRequeued(tx, row.getUUID("track_id"))
                            : lifecycle.requeued(tx, row.getUUID("version_id"));
                }));
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
                        returning state, version_id, track_id
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
                    return (row.getUUID("track_id") != null
                            ? tracks.dubsEnded(tx, List.of(row.getUUID("track_id")), "cancelled by an operator")
                            : lifecycle.ended(tx, List.of(row.getUUID("version_id")), EpisodeVersion.State.CANCELLED,
                            "cancelled by an operator")).replaceWith(state);
                }));
    }

    /**
     * Sets a waiting (or running) job's priority, {@link JobPriority#MIN}..{@link JobPriority#MAX}: an operator
     * moves it ahead of the queue. A running job keeps it if it goes back to the queue.
     */
    public Uni<Void> prioritise(UUID jobId, int priority) {
        if (priority < JobPriority.MIN || priority > JobPriority.MAX) {
            return Uni.createFrom().failure(ApiException.badRequest("priority",
                    "must be a whole number from " + JobPriority.MIN + " to " + JobPriority.MAX));
        }
        return pool.preparedQuery("""
                        update transcode_job set priority = $2, updated_at = now()
                        where id = $1 and state in ('queued', 'running')
                        """).execute(Tuple.of(jobId, priority))
                .flatMap(rows -> rows.rowCount() > 0
                        ? Uni.createFrom().voidItem()
                        : exists(jobId).map(found -> {
                            throw found
                                    ? ApiException.conflict("job " + jobId
                                    + " has finished; only a queued or running job has a priority to change")
                                    : ApiException.notFound("job", jobId);
                        }));
    }

    private Uni<Boolean> exists(UUID jobId) {
        return pool.preparedQuery("select 1 from transcode_job where id = $1").execute(Tuple.of(jobId))
                .map(rows -> rows.size() > 0);
    }
}

package com.microdrama.transcode;

import com.microdrama.transcode.ladder.RenditionStats;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The job queue's SQL. Workers run on their own threads (not the event loop) and wait on these statements; the
 * queue semantics live in the statements themselves: SKIP LOCKED claims, fenced updates, one-transaction publish.
 */
@ApplicationScoped
public class JobStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final TranscodeMetrics metrics;

    JobStore(Pool pool, TranscodeMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    /** Leases the next due job, or one whose worker stopped renewing its lease. */
    public Optional<ClaimedJob> claim(String worker, Duration lease) {
        return pool.withTransaction(tx -> failExhaustedLeases(tx)
                .invoke(dead -> metrics.failed("worker_lost", dead.rowCount()))
                .flatMap(ignored -> tx.preparedQuery("""
                        with next as (
                            select id from transcode_job
                            where (state = 'queued' and next_run_at <= now() and not cancel_requested)
                               or (state = 'running' and lease_expires_at < now() and attempts < max_attempts)
                            order by next_run_at, queued_at
                            limit 1
                            for update skip locked
                        ), lost as (
                            update transcode_attempt a set finished_at = now(), outcome = 'lease_lost',
                                error_message = 'the lease expired: worker ' || a.worker || ' stopped renewing it'
                            from next where a.job_id = next.id and a.finished_at is null
                        )
                        update transcode_job j set state = 'running', lease_owner = $1,
                            lease_expires_at = now() + $2 * interval '1 millisecond', heartbeat_at = now(),
                            attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()), progress = 0,
                            updated_at = now()
                        from next where j.id = next.id
                        returning j.id, j.version_id, j.attempts, j.max_attempts
                        """).execute(Tuple.of(worker, lease.toMillis())))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<ClaimedJob>empty());
                    }
                    Row row = rows.iterator().next();
                    ClaimedJob job = new ClaimedJob(row.getUUID("id"), row.getUUID("version_id"),
                            row.getInteger("attempts"), row.getInteger("max_attempts"), worker);
                    return tx.preparedQuery("""
                                    insert into transcode_attempt (job_id, attempt, worker) values ($1, $2, $3)
                                    on conflict (job_id, attempt) do update set worker = excluded.worker,
                                        started_at = now(), finished_at = null, outcome = null
                                    """)
                            .execute(Tuple.of(job.id(), job.attempt(), worker))
                            .flatMap(x -> tx.preparedQuery("update episode_version set state = 'transcoding' where id = $1")
                                    .execute(Tuple.of(job.versionId())))
                            .map(x -> Optional.of(job));
                })).await().atMost(TIMEOUT);
    }

    /** A job whose worker died on its last allowed attempt fails rather than running forever. */
    private static Uni<RowSet<Row>> failExhaustedLeases(SqlClient tx) {
        return tx.query("""
                with dead as (
                    update transcode_job set state = 'failed', lease_owner = null, lease_expires_at = null,
                        finished_at = now(), updated_at = now(),
                        error_message = 'the worker running it was lost on the last of ' || max_attempts || ' attempts'
                    where state = 'running' and lease_expires_at < now() and attempts >= max_attempts
                    returning id, version_id
                ), attempt as (
                    update transcode_attempt a set finished_at = now(), outcome = 'lease_lost'
                    from dead where a.job_id = dead.id and a.finished_at is null
                )
                update episode_version v set state = 'failed', failure_reason = 'transcoding was interrupted too often'
                from dead where v.id = dead.version_id
                """).execute();
    }

    /** What a heartbeat learns: keep going, stop because an operator cancelled, or stop because the lease is gone. */
    public enum Verdict { CONTINUE, CANCEL, LEASE_LOST }

    /** Renews the lease, records progress and shows operators that the worker is alive. */
    public Verdict heartbeat(ClaimedJob job, Duration lease, int progress) {
        RowSet<Row> rows = pool.preparedQuery("""
                        with seen as (
                            update worker_heartbeat set last_seen_at = now(), current_job_id = $1 where worker = $2
                        )
                        update transcode_job set lease_expires_at = now() + $4 * interval '1 millisecond',
                            heartbeat_at = now(), progress = greatest(progress, $5), updated_at = now()
                        where id = $1 and lease_owner = $2 and attempts = $3 and state = 'running'
                        returning cancel_requested
                        """)
                .execute(Tuple.of(job.id(), job.worker(), job.attempt(), lease.toMillis(), progress))
                .await().atMost(TIMEOUT);
        if (rows.size() == 0) {
            return Verdict.LEASE_LOST;
        }
        return rows.iterator().next().getBoolean("cancel_requested") ? Verdict.CANCEL : Verdict.CONTINUE;
    }

    public record VersionSource(UUID episodeId, int versionNumber, String sourceKey, byte[] encryptionKey) {
    }

    /** The version's source, with its AES key: created once, so a retry encrypts with the same key. */
    public VersionSource sourceOf(UUID versionId, byte[] newKey) {
        Row row = pool.preparedQuery("""
                        update episode_version set encryption_key = coalesce(encryption_key, $2) where id = $1
                        returning episode_id, version_number, source_key, encryption_key
                        """)
                .execute(Tuple.of(versionId, io.vertx.core.buffer.Buffer.buffer(newKey)))
                .await().atMost(TIMEOUT).iterator().next();
        return new VersionSource(row.getUUID("episode_id"), row.getInteger("version_number"),
                row.getString("source_key"), row.getBuffer("encryption_key").getBytes());
    }

    public record Published(String hlsPrefix, String posterKey, String thumbnailKey, int durationMs, double speed) {
    }

    /**
     * Publishes the version in one transaction, only if this worker still holds the lease: the renditions, the
     * version READY, the episode switched to it (unless a newer version is already current) and the job done.
     */
    public boolean publish(ClaimedJob job, VersionSource source, List<RenditionStats> renditions, Published out) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        update transcode_job set state = 'succeeded', progress = 100, finished_at = now(),
                            encode_speed = $4, lease_owner = null, lease_expires_at = null, error_message = null,
                            error_log_tail = null, updated_at = now()
                        where id = $1 and lease_owner = $2 and attempts = $3 and state = 'running'
                        """).execute(Tuple.of(job.id(), job.worker(), job.attempt(), (float) out.speed()))
                .flatMap(updated -> {
                    if (updated.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    return tx.preparedQuery("delete from rendition where version_id = $1").execute(Tuple.of(job.versionId()))
                            .flatMap(x -> tx.preparedQuery("""
                                    insert into rendition (id, version_id, name, width, height, bandwidth,
                                        average_bandwidth, codecs, frame_rate, playlist_key)
                                    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                                    """).executeBatch(renditions.stream().map(r -> Tuple.from(List.of(
                                    UUID.randomUUID(), job.versionId(), r.rung().name(), r.rung().width(),
                                    r.rung().height(), r.bandwidth(), r.averageBandwidth(), r.codecs(),
                                    BigDecimal.valueOf(r.frameRate()).setScale(3, RoundingMode.HALF_UP),
                                    out.hlsPrefix() + r.playlistPath()))).toList()))
                            .flatMap(x -> tx.preparedQuery("""
                                    update episode_version set state = 'ready', hls_prefix = $2, poster_key = $3,
                                        thumbnail_key = $4, duration_ms = $5, ready_at = now(), failure_reason = null
                                    where id = $1
                                    """).execute(Tuple.of(job.versionId(), out.hlsPrefix(), out.posterKey(),
                                    out.thumbnailKey(), out.durationMs())))
                            .flatMap(x -> tx.preparedQuery("""
                                    update episode e set current_version_id = $2, state = 'ready', duration_ms = $3,
                                        updated_at = now()
                                    where e.id = $1 and (e.current_version_id is null or $4 >= (
                                        select version_number from episode_version where id = e.current_version_id))
                                    """).execute(Tuple.of(source.episodeId(), job.versionId(), out.durationMs(),
                                    source.versionNumber())))
                            .flatMap(x -> finishAttempt(tx, job, "succeeded", null, null, out.speed()))
                            .map(x -> true);
                })).await().atMost(TIMEOUT);
    }

    /** A transient fault: back in the queue after a delay, unless this was the last attempt. */
    public void retryLater(ClaimedJob job, String error, String logTail, Duration delay) {
        if (job.attempt() >= job.maxAttempts()) {
            fail(job, "gave up after " + job.attempt() + " attempts: " + error, logTail);
            return;
        }
        pool.withTransaction(tx -> tx.preparedQuery("""
                        update transcode_job set state = 'queued', lease_owner = null, lease_expires_at = null,
                            next_run_at = now() + $4 * interval '1 millisecond', error_message = $5,
                            error_log_tail = $6, updated_at = now()
                        where id = $1 and lease_owner = $2 and attempts = $3 and state = 'running'
                        """).execute(Tuple.from(Arrays.asList(job.id(), job.worker(), job.attempt(), delay.toMillis(),
                        error, logTail)))
                .flatMap(x -> finishAttempt(tx, job, "retry", error, logTail, null))
        ).await().atMost(TIMEOUT);
    }

    /** The media cannot be transcoded (or retries ran out): the job and version fail with the reason. */
    public void fail(ClaimedJob job, String reason, String logTail) {
        end(job, "failed", reason, logTail);
    }

    public void cancelled(ClaimedJob job) {
        end(job, "cancelled", "cancelled by an operator", null);
    }

    private void end(ClaimedJob job, String state, String reason, String logTail) {
        pool.withTransaction(tx -> tx.preparedQuery("""
                        update transcode_job set state = $4, lease_owner = null, lease_expires_at = null,
                            finished_at = now(), error_message = $5, error_log_tail = $6, updated_at = now()
                        where id = $1 and lease_owner = $2 and attempts = $3 and state = 'running'
                        """).execute(Tuple.from(Arrays.asList(job.id(), job.worker(), job.attempt(), state, reason, logTail)))
                .flatMap(updated -> updated.rowCount() == 0
                        ? Uni.createFrom().voidItem()
                        : tx.preparedQuery("update episode_version set state = $2, failure_reason = $3 where id = $1")
                        .execute(Tuple.of(job.versionId(), state, reason))
                        .flatMap(x -> tx.preparedQuery("""
                                update episode set state = 'failed', updated_at = now()
                                where id = (select episode_id from episode_version where id = $1)
                                  and current_version_id is null
                                """).execute(Tuple.of(job.versionId())))
                        .flatMap(x -> finishAttempt(tx, job, state, reason, logTail, null))
                        .replaceWithVoid())
        ).await().atMost(TIMEOUT);
    }

    private static Uni<RowSet<Row>> finishAttempt(SqlClient tx, ClaimedJob job, String outcome,
                                                                     String error, String logTail, Double speed) {
        return tx.preparedQuery("""
                        update transcode_attempt set finished_at = now(), outcome = $3, error_message = $4,
                            error_log_tail = $5, encode_speed = $6
                        where job_id = $1 and attempt = $2
                        """).execute(Tuple.from(Arrays.asList(job.id(), job.attempt(), outcome, error,
                logTail, speed == null ? null : speed.floatValue())));
    }

    /** A worker that stops for good leaves the operators' view at once instead of turning up as dead. */
    public void workersGone(List<String> workers) {
        pool.preparedQuery("delete from worker_heartbeat where worker = any($1)")
                .execute(Tuple.of(workers.toArray(String[]::new))).await().atMost(TIMEOUT);
    }

    /** Workers announce themselves so operators see who is alive and what each one runs. */
    public void workerSeen(String worker, UUID currentJob) {
        pool.preparedQuery("""
                        insert into worker_heartbeat (worker, current_job_id) values ($1, $2)
                        on conflict (worker) do update set current_job_id = excluded.current_job_id, last_seen_at = now()
                        """).execute(Tuple.of(worker, currentJob)).await().atMost(TIMEOUT);
    }
}

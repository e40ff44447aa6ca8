package com.microdrama.transcode;

import com.microdrama.catalogue.EpisodeLifecycle;
import com.microdrama.catalogue.EpisodeLifecycle.EncodeSource;
import com.microdrama.catalogue.EpisodeLifecycle.NewRendition;
import com.microdrama.catalogue.EpisodeLifecycle.Outputs;
import com.microdrama.catalogue.EpisodeVersion;
import com.microdrama.catalogue.MediaTracks;
import com.microdrama.catalogue.VersionQuality;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.core.persistence.Rows;
import com.microdrama.transcode.ladder.RenditionStats;
import com.microdrama.transcode.ladder.RungQuality;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The job queue's SQL. Workers run on their own threads (not the event loop) and wait on these statements; the
 * queue semantics live in the statements themselves: SKIP LOCKED claims, fenced updates, one-transaction publish.
 * What a job's outcome means for its episode version is the catalogue's {@link EpisodeLifecycle}, in the same
 * transaction.
 */
@ApplicationScoped
public class JobStore {

    private final Pool pool;
    private final TranscodeMetrics metrics;
    private final EpisodeLifecycle lifecycle;
    private final MediaTracks tracks;
    private final VersionQuality qualityReports;

    JobStore(Pool pool, TranscodeMetrics metrics, EpisodeLifecycle lifecycle, MediaTracks tracks,
             VersionQuality qualityReports) {
        this.pool = pool;
        this.metrics = metrics;
        this.lifecycle = lifecycle;
        this.tracks = tracks;
        this.qualityReports = qualityReports;
    }

    /** Leases the next due job, highest priority first, or one whose worker stopped renewing its lease. */
    public Optional<ClaimedJob> claim(String worker, Duration lease) {
        try {
            List<UUID> dead = Blocking.await(() -> pool.withTransaction(this::failExhaustedLeases));
            metrics.failed("worker_lost", dead.size());
        } catch (RuntimeException e) {
            // A row the lifecycle refuses must not stop every worker from claiming: report it and go on.
            Log.errorf("Could not fail the jobs whose workers were lost: %s", e.getMessage());
        }
        return Blocking.await(() -> pool.withTransaction(tx -> tx.preparedQuery("""
                        with next as (
                            select id from transcode_job
                            where (state = 'queued' and next_run_at <= now() and not cancel_requested)
                               or (state = 'running' and lease_expires_at < now() and attempts < max_attempts)
                            order by priority desc, next_run_at, queued_at
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
                        returning j.id, j.version_id, j.attempts, j.max_attempts, j.track_id
                        """).execute(Tuple.of(worker, lease.toMillis()))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Optional.<ClaimedJob>empty());
                    }
                    Row row = rows.iterator().next();
                    ClaimedJob job = new ClaimedJob(row.getUUID("id"), row.getUUID("version_id"),
                            row.getInteger("attempts"), row.getInteger("max_attempts"), worker,
                            row.getUUID("track_id"));
                    return tx.preparedQuery("""
                                    insert into transcode_attempt (job_id, attempt, worker) values ($1, $2, $3)
                                    on conflict (job_id, attempt) do update set worker = excluded.worker,
                                        started_at = now(), finished_at = null, outcome = null
                                    """)
                            .execute(Tuple.of(job.id(), job.attempt(), worker))
                            .flatMap(x -> job.dub() ? Uni.createFrom().item(true)
                                    : lifecycle.startTranscoding(tx, job.versionId()))
                            .flatMap(started -> started
                                    ? Uni.createFrom().item(Optional.of(job))
                                    // A version in a state that cannot be encoded fails its job instead of being
                                    // claimed again at every poll, ahead of every other job.
                                    : tx.preparedQuery("""
                                            update transcode_job set state = 'failed', lease_owner = null,
                                                lease_expires_at = null, finished_at = now(), updated_at = now(),
                                                error_message = 'its episode version is not in a state that can be transcoded'
                                            where id = $1
                                            """).execute(Tuple.of(job.id()))
                                    .flatMap(y -> finishAttempt(tx, job, "failed",
                                            "its episode version is not in a state that can be transcoded", null, null))
                                    .map(y -> Optional.<ClaimedJob>empty()));
                })));
    }

    /** A job whose worker died on its last allowed attempt fails rather than running forever. */
    private Uni<List<UUID>> failExhaustedLeases(SqlClient tx) {
        return tx.query("""
                        with dead as (
                            update transcode_job set state = 'failed', lease_owner = null, lease_expires_at = null,
                                finished_at = now(), updated_at = now(),
                                error_message = 'the worker running it was lost on the last of ' || max_attempts || ' attempts'
                            where state = 'running' and lease_expires_at < now() and attempts >= max_attempts
                            returning id, version_id, track_id
                        ), attempt as (
                            update transcode_attempt a set finished_at = now(), outcome = 'lease_lost'
                            from dead where a.job_id = dead.id and a.finished_at is null
                        )
                        select version_id, track_id from dead
                        """).execute()
                .flatMap(rows -> {
                    List<UUID> versions = Rows.stream(rows).filter(r -> r.getUUID("track_id") == null)
                            .map(r -> r.getUUID("version_id")).toList();
                    List<UUID> dubs = Rows.stream(rows).map(r -> r.getUUID("track_id")).filter(java.util.Objects::nonNull).toList();
                    return lifecycle.ended(tx, versions, EpisodeVersion.State.FAILED, "transcoding was interrupted too often")
                            .flatMap(x -> tracks.dubsEnded(tx, dubs, "its job was interrupted too often"))
                            .map(x -> Rows.stream(rows).map(r -> r.getUUID("version_id")).toList());
                });
    }

    /** What a heartbeat learns: keep going, stop because an operator cancelled, or stop because the lease is gone. */
    public enum Verdict { CONTINUE, CANCEL, LEASE_LOST }

    /** Renews the lease, records progress and shows operators that the worker is alive. */
    public Verdict heartbeat(ClaimedJob job, Duration lease, int progress) {
        RowSet<Row> rows = Blocking.await(() -> pool.preparedQuery("""
                        with seen as (
                            update worker_heartbeat set last_seen_at = now(), current_job_id = $1 where worker = $2
                        )
                        update transcode_job set lease_expires_at = now() + $4 * interval '1 millisecond',
                            heartbeat_at = now(), progress = greatest(progress, $5), updated_at = now()
                        where id = $1 and lease_owner = $2 and attempts = $3 and state = 'running'
                        returning cancel_requested
                        """)
                .execute(Tuple.of(job.id(), job.worker(), job.attempt(), lease.toMillis(), progress)));
        if (rows.size() == 0) {
            return Verdict.LEASE_LOST;
        }
        return rows.iterator().next().getBoolean("cancel_requested") ? Verdict.CANCEL : Verdict.CONTINUE;
    }

    /** The version's source, with its AES key: created once, so a retry encrypts with the same key. */
    public EncodeSource sourceOf(UUID versionId, byte[] newKey) {
        return Blocking.await(() -> lifecycle.encodeSource(versionId, newKey));
    }

    public record Published(String hlsPrefix, String posterKey, String thumbnailKey, int durationMs, double speed) {
    }

    /**
     * Publishes the version in one transaction, only if this worker still holds the lease: the renditions, the
     * version READY with its quality report, the episode switched to it (unless a newer version is already current)
     * and the job done.
     */
    public boolean publish(ClaimedJob job, List<RenditionStats> renditions, List<RungQuality> quality, Published out) {
        return Blocking.await(() -> pool.withTransaction(tx -> succeeded(tx, job, out.speed())
                .flatMap(updated -> {
                    if (updated.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    List<NewRendition> made = renditions.stream().map(r -> new NewRendition(r.rung().name(),
                            r.rung().width(), r.rung().height(), r.bandwidth(), r.averageBandwidth(), r.codecs(),
                            r.frameRate(), out.hlsPrefix() + r.playlistPath())).toList();
                    return lifecycle.ready(tx, job.versionId(), new Outputs(out.hlsPrefix(), out.posterKey(),
                                    out.thumbnailKey(), out.durationMs()), made)
                            .flatMap(x -> qualityReports.record(tx, job.versionId(), reports(renditions, quality)))
                            .flatMap(x -> finishAttempt(tx, job, "succeeded", null, null, out.speed()))
                            .map(x -> true);
                })));
    }

    /** The job succeeded, if this worker still holds its lease (no row updated otherwise). */
    private static Uni<RowSet<Row>> succeeded(SqlClient tx, ClaimedJob job, double speed) {
        return tx.preparedQuery("""
                        update transcode_job set state = 'succeeded', progress = 100, finished_at = now(),
                            encode_speed = $4, lease_owner = null, lease_expires_at = null, error_message = null,
                            error_log_tail = null, updated_at = now()
                        where id = $1 and lease_owner = $2 and attempts = $3 and state = 'running'
                        """).execute(Tuple.of(job.id(), job.worker(), job.attempt(), (float) speed));
    }

    /** A dub's audio rendition is stored: it goes live with the job's success, if the lease is still ours. */
    public boolean publishDub(ClaimedJob job, int bandwidth, int averageBandwidth, double speed) {
        return Blocking.await(() -> pool.withTransaction(tx -> succeeded(tx, job, speed)
                .flatMap(updated -> updated.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : tracks.dubReady(tx, job.trackId(), bandwidth, averageBandwidth)
                        .flatMap(x -> finishAttempt(tx, job, "succeeded", null, null, speed))
                        .map(x -> true))));
    }

    /** The quality of each published rung, with the bitrate it was measured at as delivered. */
    private static List<VersionQuality.RungReport> reports(List<RenditionStats> renditions, List<RungQuality> quality) {
        return renditions.stream().flatMap(r -> quality.stream().filter(q -> q.rung().equals(r.rung().name()))
                .map(q -> new VersionQuality.RungReport(q.rung(), r.rung().width(), r.rung().height(),
                        r.averageBandwidth(), q.ssim(), q.psnr(), q.frames(), r.rung().rate().label()))).toList();
    }

    /**
     * This worker is stopping (SIGTERM, scale-in, rollout): the job goes back to the queue at once and its attempt is
     * not counted, so that a stop never costs a job one of its attempts; the attempt's row goes too (the next claim
     * writes it afresh). False when the lease was no longer this worker's.
     */
    public boolean handBack(ClaimedJob job) {
        boolean handedBack = Blocking.await(() -> pool.withTransaction(tx -> tx.preparedQuery("""
                        update transcode_job set state = 'queued', attempts = attempts - 1, lease_owner = null,
                            lease_expires_at = null, heartbeat_at = null, next_run_at = now(), progress = 0,
                            updated_at = now()
                        where id = $1 and lease_owner = $2 and attempts = $3 and state = 'running'
                          and not cancel_requested
                        """).execute(Tuple.of(job.id(), job.worker(), job.attempt()))
                .flatMap(updated -> updated.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : tx.preparedQuery("delete from transcode_attempt where job_id = $1 and attempt = $2")
                        .execute(Tuple.of(job.id(), job.attempt())).map(x -> true))));
        if (!handedBack) {
            // A job an operator cancelled is never put back in the queue (no worker would take it, and a retry
            // refuses a queued job): it ends cancelled. A no-op when the lease is no longer this worker's.
            cancelled(job);
        }
        return handedBack;
    }

    /** A transient fault: back in the queue after a delay, unless this was the last attempt. */
    public void retryLater(ClaimedJob job, String error, String logTail, Duration delay) {
        if (job.attempt() >= job.maxAttempts()) {
            fail(job, "gave up after " + job.attempt() + " attempts: " + error, logTail);
            return;
        }
        boolean requeued = Blocking.await(() -> pool.withTransaction(tx -> tx.preparedQuery("""
                        update transcode_job set state = 'queued', lease_owner = null, lease_expires_at = null,
                            next_run_at = now() + $4 * interval '1 millisecond', error_message = $5,
                            error_log_tail = $6, updated_at = now()
                        where id = $1 and lease_owner = $2 and attempts = $3 and state = 'running'
                          and not cancel_requested
                        """).execute(Tuple.from(Arrays.asList(job.id(), job.worker(), job.attempt(), delay.toMillis(),
                        error, logTail)))
                .flatMap(updated -> updated.rowCount() == 0
                        ? Uni.createFrom().item(false)
                        : finishAttempt(tx, job, "retry", error, logTail, null).map(x -> true))));
        if (!requeued) {
            cancelled(job);  // as in handBack: cancelled meanwhile, or (a no-op) no longer this worker's lease
        }
    }

    /** The media cannot be transcoded (or retries ran out): the job and version fail with the reason. */
    public void fail(ClaimedJob job, String reason, String logTail) {
        end(job, EpisodeVersion.State.FAILED, reason, logTail);
    }

    public void cancelled(ClaimedJob job) {
        end(job, EpisodeVersion.State.CANCELLED, "cancelled by an operator", null);
    }

    private void end(ClaimedJob job, EpisodeVersion.State outcome, String reason, String logTail) {
        String state = outcome.name().toLowerCase();
        Blocking.await(() -> pool.withTransaction(tx -> tx.preparedQuery("""
                        update transcode_job set state = $4, lease_owner = null, lease_expires_at = null,
                            finished_at = now(), error_message = $5, error_log_tail = $6, updated_at = now()
                        where id = $1 and lease_owner = $2 and attempts = $3 and state = 'running'
                        """).execute(Tuple.from(Arrays.asList(job.id(), job.worker(), job.attempt(), state, reason, logTail)))
                .flatMap(updated -> updated.rowCount() == 0
                        ? Uni.createFrom().voidItem()
                        : (job.dub() ? tracks.dubsEnded(tx, List.of(job.trackId()), reason)
                                : lifecycle.ended(tx, List.of(job.versionId()), outcome, reason))
                        .flatMap(x -> finishAttempt(tx, job, state, reason, logTail, null))
                        .replaceWithVoid())));
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
        Blocking.await(() -> pool.preparedQuery("delete from worker_heartbeat where worker = any($1)")
                .execute(Tuple.of(workers.toArray(String[]::new))));
    }

    /** Workers announce themselves so operators see who is alive and what each one runs. */
    public void workerSeen(String worker, UUID currentJob) {
        Blocking.await(() -> pool.preparedQuery("""
                        insert into worker_heartbeat (worker, current_job_id) values ($1, $2)
                        on conflict (worker) do update set current_job_id = excluded.current_job_id, last_seen_at = now()
                        """).execute(Tuple.of(worker, currentJob)));
    }
}

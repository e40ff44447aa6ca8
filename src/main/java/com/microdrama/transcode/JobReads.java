package com.microdrama.transcode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import static com.microdrama.core.persistence.Rows.instant;
import static com.microdrama.core.persistence.Rows.stream;

import com.microdrama.catalogue.VersionJobs;
import com.microdrama.catalogue.dto.ProducerEpisode;
import com.microdrama.core.http.PageCursor;
import com.microdrama.transcode.dto.QueueStats;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Read side of the job queue: the operators' lists, one job in depth, the queue's vital signs, producers' jobs. */
@ApplicationScoped
public class JobReads implements VersionJobs {

    /** One job row as operators see it (which episode it makes is the catalogue's to say). */
    public record JobRow(UUID id, UUID versionId, String state, int progress, int attempts, int maxAttempts,
                         boolean cancelRequested, String worker, String errorMessage, Double encodeSpeed,
                         Instant queuedAt, Instant startedAt, Instant finishedAt, Instant updatedAt,
                         String errorLogTail, Instant nextRunAt, Instant heartbeatAt, Instant leaseExpiresAt,
                         int priority, String kind) {

        static JobRow of(Row r) {
            return new JobRow(r.getUUID("id"), r.getUUID("version_id"), r.getString("state"),
                    r.getInteger("progress"), r.getInteger("attempts"), r.getInteger("max_attempts"),
                    r.getBoolean("cancel_requested"), r.getString("lease_owner"), r.getString("error_message"),
                    speed(r.getFloat("encode_speed")), instant(r, "queued_at"), instant(r, "started_at"),
                    instant(r, "finished_at"), instant(r, "updated_at"), r.getString("error_log_tail"),
                    instant(r, "next_run_at"), instant(r, "heartbeat_at"), instant(r, "lease_expires_at"),
                    r.getInteger("priority"), r.getString("kind"));
        }
    }

    public record Attempt(int attempt, @Schema(nullable = true) String worker, @Schema(nullable = true) Instant startedAt, @Schema(nullable = true) Instant finishedAt,
                          @Schema(nullable = true) String outcome,
                          @Schema(nullable = true) String errorMessage, @Schema(nullable = true) String errorLogTail, @Schema(nullable = true) Double encodeSpeed) {
    }

    /** Which jobs a page lists; null fields do not restrict, {@code versionIds} restricts to those versions. */
    public record Filter(String state, List<UUID> versionIds, Instant from, Instant to, PageCursor cursor, int limit) {
    }

    private static final String COLUMNS = """
            id, version_id, state, progress, attempts, max_attempts, cancel_requested, lease_owner, error_message,
            encode_speed, queued_at, started_at, finished_at, updated_at, error_log_tail, next_run_at, heartbeat_at,
            lease_expires_at, priority, kind
            """;

    private final Pool pool;
    private final TranscodeConfig config;

    JobReads(Pool pool, TranscodeConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Newest first; up to {@code filter.limit()} rows. */
    public Uni<List<JobRow>> page(Filter filter) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (filter.state() != null) {
            params.add(filter.state());
            where.add("state = $" + params.size());
        }
        if (filter.versionIds() != null) {
            params.add(filter.versionIds().toArray(UUID[]::new));
            where.add("version_id = any($" + params.size() + ")");
        }
        if (filter.from() != null) {
            params.add(filter.from().atOffset(ZoneOffset.UTC));
            where.add("queued_at >= $" + params.size());
        }
        if (filter.to() != null) {
            params.add(filter.to().atOffset(ZoneOffset.UTC));
            where.add("queued_at < $" + params.size());
        }
        if (filter.cursor() != null) {
            params.add(filter.cursor().instantKey().atOffset(ZoneOffset.UTC));
            params.add(filter.cursor().id());
            where.add("(queued_at, id) < ($" + (params.size() - 1) + ", $" + params.size() + ")");
        }
        params.add(filter.limit());
        String sql = "select " + COLUMNS + " from transcode_job"
                + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by queued_at desc, id desc limit $" + params.size();
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> stream(rows).map(JobRow::of).toList());
    }

    public Uni<Optional<JobRow>> find(UUID jobId) {
        return pool.preparedQuery("select " + COLUMNS + " from transcode_job where id = $1").execute(Tuple.of(jobId))
                .map(rows -> stream(rows).map(JobRow::of).findFirst());
    }

    public Uni<List<Attempt>> attempts(UUID jobId) {
        return pool.preparedQuery("""
                        select attempt, worker, started_at, finished_at, outcome, error_message, error_log_tail,
                            encode_speed
                        from transcode_attempt where job_id = $1 order by attempt
                        """).execute(Tuple.of(jobId))
                .map(rows -> stream(rows).map(r -> new Attempt(r.getInteger("attempt"), r.getString("worker"),
                        instant(r, "started_at"), instant(r, "finished_at"), r.getString("outcome"),
                        r.getString("error_message"), r.getString("error_log_tail"),
                        r.getFloat("encode_speed") == null ? null : r.getFloat("encode_speed").doubleValue())).toList());
    }

    public Uni<QueueStats> stats() {
        Uni<Row> figures = pool.query("""
                select
                    count(*) filter (where state = 'queued') as queued,
                    count(*) filter (where state = 'running') as running,
                    count(*) filter (where state = 'succeeded') as succeeded,
                    count(*) filter (where state = 'failed') as failed,
                    count(*) filter (where state = 'cancelled') as cancelled,
                    extract(epoch from now() - min(queued_at) filter (where state = 'queued'))::float8 as oldest_queued,
                    count(*) filter (where state = 'succeeded' and finished_at > now() - interval '1 hour') as succeeded_hour,
                    count(*) filter (where state = 'failed' and finished_at > now() - interval '1 hour') as failed_hour,
                    avg(encode_speed) filter (where state = 'succeeded' and finished_at > now() - interval '1 hour')::float8
                        as speed_hour
                from transcode_job
                """).execute().map(rows -> rows.iterator().next());
        Uni<List<QueueStats.Worker>> workers = pool.preparedQuery("""
                        select worker, started_at, last_seen_at, current_job_id,
                            last_seen_at > now() - $1 * interval '1 millisecond' as alive
                        from worker_heartbeat where last_seen_at > now() - interval '1 hour'
                        order by worker
                        """).execute(Tuple.of(config.worker().lease().toMillis()))
                .map(rows -> stream(rows).map(r -> new QueueStats.Worker(r.getString("worker"),
                        instant(r, "started_at"), instant(r, "last_seen_at"),
                        r.getUUID("current_job_id"), r.getBoolean("alive"))).toList());
        return Uni.combine().all().unis(figures, workers).asTuple().map(t -> {
            Row r = t.getItem1();
            Map<String, Long> queue = new LinkedHashMap<>();
            for (String state : JobState.NAMES) {
                queue.put(state, r.getLong(state));
            }
            Double speed = r.getDouble("speed_hour");
            return new QueueStats(queue, r.getDouble("oldest_queued"),
                    new QueueStats.LastHour(r.getLong("succeeded_hour"), r.getLong("failed_hour")),
                    speed == null ? null : Math.round(speed * 100) / 100.0, t.getItem2());
        });
    }

    @Override
    public Uni<Map<UUID, ProducerEpisode.Job>> jobsOf(Collection<UUID> versionIds) {
        if (versionIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("select " + COLUMNS + " from transcode_job where version_id = any($1) and kind = 'ladder'")
                .execute(Tuple.of(versionIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, ProducerEpisode.Job> jobs = new LinkedHashMap<>();
                    stream(rows).map(JobRow::of).forEach(j -> jobs.put(j.versionId(), new ProducerEpisode.Job(j.id(),
                            j.state(), j.progress(), j.attempts(), j.maxAttempts(), j.errorMessage(), j.queuedAt(),
                            j.finishedAt())));
                    return jobs;
                });
    }

    private static Double speed(Float speed) {
        return speed == null ? null : Math.round(speed * 100) / 100.0;
    }
}

package com.microdrama.admin;

import static com.microdrama.core.persistence.Rows.instant;
import static com.microdrama.core.persistence.Rows.stream;

import com.microdrama.admin.dto.JobDetail;
import com.microdrama.admin.dto.JobPage;
import com.microdrama.admin.dto.JobSummary;
import com.microdrama.admin.dto.QueueStats;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageCursor;
import com.microdrama.transcode.TranscodeConfig;
import com.microdrama.transcode.TranscodeJob;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Read side of the job queue for operators: lists, one job in depth, and the queue's vital signs. */
@ApplicationScoped
public class JobMonitor {

    private final Pool pool;
    private final TranscodeConfig config;

    JobMonitor(Pool pool, TranscodeConfig config) {
        this.pool = pool;
        this.config = config;
    }

    public Uni<JobPage> list(JobFilter filter) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (filter.state() != null) {
            params.add(filter.state());
            where.add("j.state = $" + params.size());
        }
        if (filter.seriesId() != null) {
            params.add(filter.seriesId());
            where.add("s.id = $" + params.size());
        }
        if (filter.episodeId() != null) {
            params.add(filter.episodeId());
            where.add("e.id = $" + params.size());
        }
        if (filter.from() != null) {
            params.add(filter.from().atOffset(ZoneOffset.UTC));
            where.add("j.queued_at >= $" + params.size());
        }
        if (filter.to() != null) {
            params.add(filter.to().atOffset(ZoneOffset.UTC));
            where.add("j.queued_at < $" + params.size());
        }
        if (filter.cursor() != null) {
            params.add(filter.cursor().instantKey().atOffset(ZoneOffset.UTC));
            params.add(filter.cursor().id());
            where.add("(j.queued_at, j.id) < ($" + (params.size() - 1) + ", $" + params.size() + ")");
        }
        params.add(filter.limit() + 1);
        String sql = "select " + JobSummary.COLUMNS + " from " + JobSummary.FROM
                + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
                + " order by j.queued_at desc, j.id desc limit $" + params.size();
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
            List<JobSummary> items = new ArrayList<>(summaries(rows));
            String next = null;
            if (items.size() > filter.limit()) {
                items.remove(items.size() - 1);
                JobSummary last = items.get(items.size() - 1);
                next = PageCursor.after(last.queuedAt(), last.id()).encode();
            }
            return new JobPage(items, next);
        });
    }

    /** One job's summary; a failure naming the job when it does not exist. */
    public Uni<JobSummary> summary(UUID jobId) {
        return pool.preparedQuery("select " + JobSummary.COLUMNS + " from " + JobSummary.FROM + " where j.id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> summaries(rows).stream().findFirst().orElseThrow(() -> ApiException.notFound("job", jobId)));
    }

    public Uni<JobDetail> detail(UUID jobId) {
        Uni<Row> job = pool.preparedQuery("select " + JobSummary.COLUMNS + """
                        , j.error_log_tail, j.next_run_at, j.heartbeat_at, j.lease_expires_at, v.source_key,
                          v.source_size, v.probe from""" + " " + JobSummary.FROM + " where j.id = $1")
                .execute(Tuple.of(jobId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("job", jobId);
                    }
                    return rows.iterator().next();
                });
        Uni<List<JobDetail.Attempt>> attempts = pool.preparedQuery("""
                        select attempt, worker, started_at, finished_at, outcome, error_message, error_log_tail,
                            encode_speed
                        from transcode_attempt where job_id = $1 order by attempt
                        """).execute(Tuple.of(jobId))
                .map(rows -> stream(rows).map(r -> new JobDetail.Attempt(r.getInteger("attempt"), r.getString("worker"),
                        instant(r, "started_at"), instant(r, "finished_at"),
                        r.getString("outcome"), r.getString("error_message"), r.getString("error_log_tail"),
                        r.getFloat("encode_speed") == null ? null : r.getFloat("encode_speed").doubleValue())).toList());
        Uni<List<JobDetail.Rendition>> renditions = pool.preparedQuery("""
                        select r.name, r.width, r.height, r.bandwidth from rendition r
                        join transcode_job j on j.version_id = r.version_id
                        where j.id = $1 order by r.height desc
                        """).execute(Tuple.of(jobId))
                .map(rows -> stream(rows).map(r -> new JobDetail.Rendition(r.getString("name"),
                        r.getInteger("width"), r.getInteger("height"), r.getInteger("bandwidth"))).toList());
        return Uni.combine().all().unis(job, attempts, renditions).asTuple().map(t -> {
            Row row = t.getItem1();
            Object probe = row.getValue("probe");
            Map<String, Object> probeMap = probe instanceof JsonObject json ? json.getMap() : null;
            return new JobDetail(JobSummary.of(row), row.getString("error_log_tail"),
                    instant(row, "next_run_at"), instant(row, "heartbeat_at"),
                    instant(row, "lease_expires_at"), t.getItem2(),
                    new JobDetail.Source(row.getString("source_key"), row.getLong("source_size"), probeMap),
                    t.getItem3());
        });
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
            for (String state : TranscodeJob.State.NAMES) {
                queue.put(state, r.getLong(state));
            }
            Double speed = r.getDouble("speed_hour");
            return new QueueStats(queue, r.getDouble("oldest_queued"),
                    new QueueStats.LastHour(r.getLong("succeeded_hour"), r.getLong("failed_hour")),
                    speed == null ? null : Math.round(speed * 100) / 100.0, t.getItem2());
        });
    }

    private static List<JobSummary> summaries(RowSet<Row> rows) {
        return stream(rows).map(JobSummary::of).toList();
    }
}

package com.microdrama.transcode;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import com.microdrama.support.Media;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Puts sources in front of the real worker: an episode, a stored source object, a version and its queued job. */
public final class TranscodeFixtures {

    private final AgroalDataSource db;
    private final ObjectStorage storage;
    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    public TranscodeFixtures(AgroalDataSource db, ObjectStorage storage) {
        this.db = db;
        this.storage = storage;
    }

    /** The producer owning the series these fixtures create. */
    public String producerToken() {
        return producer;
    }

    public record Queued(UUID seriesId, UUID episodeId, UUID versionId, UUID jobId) {
    }

    public Queued queue(Path source) throws Exception {
        return queue(source, "queued", null);
    }

    /** A queued job that no worker takes before an hour has passed (or an operator acts on it). */
    public Queued queueNotDue(Path source) throws Exception {
        return queue(source, "queued", "not-due");
    }

    /**
     * A job as a worker leaves one whose only attempt failed for good: failed, with the error and the ffmpeg log
     * tail, the failed version and episode, and a source probe as an upload stores it. The source object itself is
     * real and valid, so an operator's retry succeeds.
     */
    public Queued queueFailed(Path source, String errorMessage, String errorLogTail) throws Exception {
        String seriesId = createSeries(producer, seriesBody(unique("failed")));
        String episodeId = as(producer).body(Map.of("number", 1)).post("/api/v1/producer/series/" + seriesId + "/episodes")
                .then().statusCode(201).extract().path("id");
        String key = "raw/test/" + UUID.randomUUID();
        storage.upload(source, key, "video/mp4");
        UUID versionId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Api.sql(db, """
                insert into episode_version (id, episode_id, version_number, source_key, source_size, probe, state, failure_reason)
                values (?, ?, 1, ?, ?, '{"width": 360, "height": 640, "videoCodec": "h264", "audioCodec": "aac"}'::jsonb, 'failed', ?)
                """, versionId, UUID.fromString(episodeId), key, java.nio.file.Files.size(source), errorMessage);
        Api.sql(db, "update episode set state = 'failed' where id = ?", UUID.fromString(episodeId));
        // One statement: the job never shows without its attempt.
        Api.sql(db, """
                with job as (
                    insert into transcode_job (id, version_id, state, attempts, max_attempts, progress, error_message,
                        error_log_tail, queued_at, next_run_at, started_at, finished_at, updated_at)
                    values (?, ?, 'failed', 1, 1, 37, ?, ?, now() - interval '30 seconds', now() - interval '30 seconds',
                        now() - interval '20 seconds', now() - interval '10 seconds', now() - interval '10 seconds')
                    returning id, error_message, error_log_tail, started_at, finished_at
                )
                insert into transcode_attempt (job_id, attempt, worker, started_at, finished_at, outcome, error_message,
                    error_log_tail)
                select id, 1, 'gone-worker#0', started_at, finished_at, 'failed', error_message, error_log_tail from job
                """, jobId, versionId, errorMessage, errorLogTail);
        return new Queued(UUID.fromString(seriesId), UUID.fromString(episodeId), versionId, jobId);
    }

    /** A job as a worker that died mid-run would leave it: running, with a lease that already expired. */
    Queued queueAbandoned(Path source) throws Exception {
        return queue(source, "running", "dead-worker");
    }

    /** For a process that serves no API: the series and episode rows are written directly. */
    Queued queueWithoutApi(Path source) throws Exception {
        UUID seriesId = UUID.randomUUID();
        UUID episodeId = UUID.randomUUID();
        Api.sql(db, "insert into series (id, slug, title, language, producer_id) values (?, ?, 'Worker test', 'en', 'p')",
                seriesId, unique("worker"));
        Api.sql(db, "insert into episode (id, series_id, number) values (?, ?, 1)", episodeId, seriesId);
        return queueVersion(source, seriesId.toString(), episodeId.toString(), "queued", null);
    }

    private Queued queue(Path source, String state, String leaseOwner) throws Exception {
        String seriesId = createSeries(producer, seriesBody(unique("tx")));
        String episodeId = as(producer).body(Map.of("number", 1)).post("/api/v1/producer/series/" + seriesId + "/episodes")
                .then().statusCode(201).extract().path("id");
        return queueVersion(source, seriesId, episodeId, state, leaseOwner);
    }

    private Queued queueVersion(Path source, String seriesId, String episodeId, String state, String leaseOwner) throws Exception {
        String key = "raw/test/" + UUID.randomUUID();
        storage.upload(source, key, "video/mp4");
        UUID versionId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        // The states an upload and a claim leave behind (catalogue/EpisodeLifecycle refuses moves out of others).
        Api.sql(db, "insert into episode_version (id, episode_id, version_number, source_key, source_size, state) values (?, ?, 1, ?, 1, ?)",
                versionId, UUID.fromString(episodeId), key, "running".equals(state) ? "transcoding" : "queued");
        Api.sql(db, "update episode set state = 'processing' where id = ?", UUID.fromString(episodeId));
        if (leaseOwner == null) {
            Api.sql(db, "insert into transcode_job (id, version_id) values (?, ?)", jobId, versionId);
        } else if ("queued".equals(state)) {
            Api.sql(db, "insert into transcode_job (id, version_id, next_run_at) values (?, ?, now() + interval '1 hour')",
                    jobId, versionId);
        } else {
            // One statement: a worker must never see the job without its attempt row.
            Api.sql(db, """
                    with job as (
                        insert into transcode_job (id, version_id, state, attempts, lease_owner, lease_expires_at, started_at)
                        values (?, ?, 'running', 1, ?, now() - interval '1 second', now())
                        returning id, lease_owner
                    )
                    insert into transcode_attempt (job_id, attempt, worker) select id, 1, lease_owner from job
                    """, jobId, versionId, leaseOwner);
        }
        return new Queued(UUID.fromString(seriesId), UUID.fromString(episodeId), versionId, jobId);
    }

    /** Publishes the series and episode 1 so viewers can see the result. */
    /** A vertical clip with audio, really transcoded by the worker, its series published: a playable episode 1. */
    public Queued readyEpisode(String name, double seconds) throws Exception {
        Queued ready = queue(Media.clip(Media.tempDir(), name, 360, 640, seconds, true));
        org.assertj.core.api.Assertions.assertThat(awaitJob(ready.jobId(), Duration.ofSeconds(120)).get("state"))
                .isEqualTo("succeeded");
        publish(ready);
        return ready;
    }

    public void publish(Queued queued) {
        as(producer).post("/api/v1/producer/series/" + queued.seriesId() + "/publish").then().statusCode(200);
        as(producer).post("/api/v1/producer/series/" + queued.seriesId() + "/episodes/1/publish").then().statusCode(200);
    }

    Map<String, Object> job(UUID jobId) {
        return row("select * from transcode_job where id = ?", jobId);
    }

    Map<String, Object> row(String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                return row;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql, Object... params) {
        return ((Number) row(sql, params).values().iterator().next()).longValue();
    }

    /** Waits for the job to reach a final state (or the given one) and answers its row. */
    public Map<String, Object> awaitJob(UUID jobId, Duration timeout, String... states) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        java.util.Set<String> wanted = states.length == 0
                ? java.util.Set.of("succeeded", "failed", "cancelled") : java.util.Set.of(states);
        while (Instant.now().isBefore(deadline)) {
            Map<String, Object> job = job(jobId);
            if (wanted.contains((String) job.get("state"))) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " did not reach " + wanted + " in " + timeout + ": " + job(jobId));
    }
}

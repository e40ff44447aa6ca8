package com.microdrama.admin.dto;

import static com.microdrama.core.persistence.Rows.instant;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/** One transcode job as operators see it in lists and live events. */
public record JobSummary(UUID id, String state, int progress, int attempts, int maxAttempts, boolean cancelRequested,
                         UUID seriesId, String seriesTitle, UUID episodeId, int episodeNumber, UUID versionId,
                         int versionNumber, String worker, String errorMessage, Double encodeSpeed, Instant queuedAt,
                         Instant startedAt, Instant finishedAt, Instant updatedAt) {

    /** The columns {@link #of(Row)} reads, for queries joining transcode_job j, episode_version v, episode e, series s. */
    public static final String COLUMNS = """
            j.id, j.state, j.progress, j.attempts, j.max_attempts, j.cancel_requested, j.lease_owner, j.error_message,
            j.encode_speed, j.queued_at, j.started_at, j.finished_at, j.updated_at, v.id as version_id,
            v.version_number, e.id as episode_id, e.number as episode_number, s.id as series_id, s.title as series_title
            """;
    public static final String FROM = """
            transcode_job j join episode_version v on v.id = j.version_id join episode e on e.id = v.episode_id
            join series s on s.id = e.series_id
            """;

    public static JobSummary of(Row row) {
        Float speed = row.getFloat("encode_speed");
        return new JobSummary(row.getUUID("id"), row.getString("state"), row.getInteger("progress"),
                row.getInteger("attempts"), row.getInteger("max_attempts"), row.getBoolean("cancel_requested"),
                row.getUUID("series_id"), row.getString("series_title"), row.getUUID("episode_id"),
                row.getInteger("episode_number"), row.getUUID("version_id"), row.getInteger("version_number"),
                row.getString("lease_owner"), row.getString("error_message"),
                speed == null ? null : Math.round(speed * 100) / 100.0, instant(row, "queued_at"),
                instant(row, "started_at"), instant(row, "finished_at"), instant(row, "updated_at"));
    }
}

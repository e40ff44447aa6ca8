package com.microdrama.admin.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.catalogue.EpisodeVersions;
import com.microdrama.transcode.JobReads.JobRow;
import java.time.Instant;
import java.util.UUID;

/** One transcode job as operators see it in lists and live events. */
public record JobSummary(UUID id, String state, int priority, int progress, int attempts, int maxAttempts,
                         boolean cancelRequested, UUID seriesId, String seriesTitle, UUID episodeId, int episodeNumber, UUID versionId,
                         int versionNumber, @Schema(nullable = true) String worker, @Schema(nullable = true) String errorMessage, @Schema(nullable = true) Double encodeSpeed, Instant queuedAt,
                         @Schema(nullable = true) Instant startedAt, @Schema(nullable = true) Instant finishedAt, Instant updatedAt, String kind) {

    public static JobSummary of(JobRow j, EpisodeVersions.Label v) {
        return new JobSummary(j.id(), j.state(), j.priority(), j.progress(), j.attempts(), j.maxAttempts(),
                j.cancelRequested(), v.seriesId(), v.seriesTitle(), v.episodeId(), v.episodeNumber(), j.versionId(), v.versionNumber(),
                j.worker(), j.errorMessage(), j.encodeSpeed(), j.queuedAt(), j.startedAt(), j.finishedAt(),
                j.updatedAt(), j.kind());
    }
}

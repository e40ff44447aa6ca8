package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.catalogue.Episode;
import com.microdrama.catalogue.EpisodeState;
import java.time.Instant;
import java.util.UUID;

/** An episode as its producer sees it, with the transcode job of its newest version (null before any upload). */
public record ProducerEpisode(UUID id, int number, String title, EpisodeState state, boolean published,
                              @Schema(nullable = true) Instant publishedAt, @Schema(nullable = true) Instant releaseAt, @Schema(nullable = true) Double durationSeconds, @Schema(nullable = true) Integer priceOverride,
                              @Schema(nullable = true) UUID currentVersionId, @Schema(nullable = true) Job job) {

    /** The same job state operators see, without the worker internals. */
    public record Job(UUID id, String state, int progress, int attempts, int maxAttempts, @Schema(nullable = true) String errorMessage,
                      Instant queuedAt, @Schema(nullable = true) Instant finishedAt) {
    }

    public static ProducerEpisode of(Episode e) {
        return of(e, null);
    }

    public static ProducerEpisode of(Episode e, Job job) {
        return new ProducerEpisode(e.id, e.number, e.title, e.state, e.published, e.publishedAt, e.releaseAt,
                e.durationMs == null ? null : e.durationMs / 1000.0, e.priceOverride, e.currentVersionId, job);
    }
}

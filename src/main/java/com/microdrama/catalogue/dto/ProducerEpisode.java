package com.microdrama.catalogue.dto;

import com.microdrama.catalogue.Episode;
import com.microdrama.catalogue.EpisodeState;
import java.time.Instant;
import java.util.UUID;

/** An episode as its producer sees it, with the transcode job of its newest version (null before any upload). */
public record ProducerEpisode(UUID id, int number, String title, EpisodeState state, boolean published,
                              Instant publishedAt, Instant releaseAt, Double durationSeconds, Integer priceOverride,
                              UUID currentVersionId, Job job) {

    /** The same job state operators see, without the worker internals. */
    public record Job(UUID id, String state, int progress, int attempts, int maxAttempts, String errorMessage,
                      Instant queuedAt, Instant finishedAt) {
    }

    public static ProducerEpisode of(Episode e) {
        return of(e, null);
    }

    public static ProducerEpisode of(Episode e, Job job) {
        return new ProducerEpisode(e.id, e.number, e.title, e.state, e.published, e.publishedAt, e.releaseAt,
                e.durationMs == null ? null : e.durationMs / 1000.0, e.priceOverride, e.currentVersionId, job);
    }
}

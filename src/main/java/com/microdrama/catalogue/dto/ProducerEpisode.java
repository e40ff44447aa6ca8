package com.microdrama.catalogue.dto;

import com.microdrama.catalogue.Episode;
import com.microdrama.catalogue.EpisodeState;
import java.time.Instant;
import java.util.UUID;

public record ProducerEpisode(UUID id, int number, String title, EpisodeState state, boolean published,
                              Instant publishedAt, Double durationSeconds, Integer priceOverride,
                              UUID currentVersionId) {

    public static ProducerEpisode of(Episode e) {
        return new ProducerEpisode(e.id, e.number, e.title, e.state, e.published, e.publishedAt,
                e.durationMs == null ? null : e.durationMs / 1000.0, e.priceOverride, e.currentVersionId);
    }
}

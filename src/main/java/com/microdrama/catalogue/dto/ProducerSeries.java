package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.catalogue.Series;
import com.microdrama.catalogue.SeriesStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A series as its producer sees it: drafts included, with bookkeeping fields. */
public record ProducerSeries(UUID id, String slug, String title, String synopsis, String language,
                             List<String> genres, List<String> tags, SeriesStatus status, int freeEpisodeCount,
                             int coinPrice, @Schema(nullable = true) Instant publishedAt, Instant createdAt, Instant updatedAt,
                             @Schema(nullable = true) CoverUrls cover) {

    public static ProducerSeries of(Series s) {
        return new ProducerSeries(s.id, s.slug, s.title, s.synopsis, s.language, s.genres, s.tags, s.status,
                s.freeEpisodeCount, s.coinPrice, s.publishedAt, s.createdAt, s.updatedAt,
                CoverUrls.of(s.coverImageKey));
    }
}

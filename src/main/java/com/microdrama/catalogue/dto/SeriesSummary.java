package com.microdrama.catalogue.dto;

import com.microdrama.catalogue.Series;
import com.microdrama.catalogue.SeriesStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record SeriesSummary(UUID id, String slug, String title, String synopsis, String language,
                            List<String> genres, List<String> tags, SeriesStatus status, int freeEpisodeCount,
                            int coinPrice, Instant publishedAt, CoverUrls cover) {

    public static SeriesSummary of(Series s) {
        return new SeriesSummary(s.id, s.slug, s.title, s.synopsis, s.language, s.genres, s.tags, s.status,
                s.freeEpisodeCount, s.coinPrice, s.publishedAt, CoverUrls.of(s.coverImageKey));
    }
}

package com.microdrama.catalogue.dto;

import com.microdrama.catalogue.Series;
import com.microdrama.catalogue.SeriesStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record SeriesDetail(UUID id, String slug, String title, String synopsis, String language,
                           List<String> genres, List<String> tags, SeriesStatus status, int episodeCount,
                           int freeEpisodeCount, int coinPrice, Instant publishedAt, CoverUrls cover,
                           NextEpisode nextEpisode) {

    /** The next scheduled episode and when it arrives; null when none is scheduled. */
    public record NextEpisode(int number, Instant releaseAt) {
    }

    public static SeriesDetail of(Series s, long episodeCount, NextEpisode next) {
        return new SeriesDetail(s.id, s.slug, s.title, s.synopsis, s.language, s.genres, s.tags, s.status,
                (int) episodeCount, s.freeEpisodeCount, s.coinPrice, s.publishedAt, CoverUrls.of(s.coverImageKey), next);
    }
}

package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.catalogue.LocalisedText;
import com.microdrama.catalogue.Series;
import com.microdrama.catalogue.SeriesStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * As {@link SeriesSummary}, plus the audio languages (the original's, then dubs) and subtitle languages that at
 * least one playable episode offers.
 */
public record SeriesDetail(UUID id, String slug, String title, String synopsis, String language,
                           String contentLanguage, List<String> languages, List<String> audioLanguages,
                           List<String> subtitleLanguages,
                           List<String> genres, List<String> tags, SeriesStatus status, int episodeCount,
                           int freeEpisodeCount, int coinPrice, @Schema(nullable = true) Instant publishedAt, @Schema(nullable = true) CoverUrls cover,
                           @Schema(nullable = true) NextEpisode nextEpisode) {

    /** The next scheduled episode and when it arrives; null when none is scheduled. */
    @Schema(name = "NextRelease")
    public record NextEpisode(int number, @Schema(nullable = true) Instant releaseAt) {
    }

    public static SeriesDetail of(Series s, LocalisedText text, long episodeCount, List<String> audioLanguages,
                                  List<String> subtitleLanguages, NextEpisode next) {
        return new SeriesDetail(s.id, s.slug, text.title(), text.synopsis(), s.language, text.language(),
                text.languages(), audioLanguages, subtitleLanguages, s.genres, s.tags, s.status,
                (int) episodeCount, s.freeEpisodeCount, s.coinPrice, s.publishedAt, CoverUrls.of(s.coverImageKey), next);
    }
}

package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.catalogue.LocalisedText;
import com.microdrama.catalogue.Series;
import com.microdrama.catalogue.SeriesStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code language} is the series' default; {@code contentLanguage} the one title and synopsis are in (negotiated
 * from ?lang= or Accept-Language), {@code languages} every one they exist in.
 */
public record SeriesSummary(UUID id, String slug, String title, String synopsis, String language,
                            String contentLanguage, List<String> languages,
                            List<String> genres, List<String> tags, SeriesStatus status, int freeEpisodeCount,
                            int coinPrice, @Schema(nullable = true) Instant publishedAt, @Schema(nullable = true) CoverUrls cover) {

    /** In the series' own language (search, rails and feed cards, which do not negotiate). */
    public static SeriesSummary of(Series s) {
        return of(s, LocalisedText.untranslated(s));
    }

    public static SeriesSummary of(Series s, LocalisedText text) {
        return new SeriesSummary(s.id, s.slug, text.title(), text.synopsis(), s.language, text.language(),
                text.languages(), s.genres, s.tags, s.status, s.freeEpisodeCount, s.coinPrice, s.publishedAt,
                CoverUrls.of(s.coverImageKey));
    }
}

package com.microdrama.catalogue;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Series and episode translations, read a page at a time (one query per page, not one per row), in the caller's
 * Panache session.
 */
@ApplicationScoped
public class Translations {

    /** Every translation of these series, by series id. */
    public Uni<Map<UUID, List<SeriesTranslation>>> ofSeries(Collection<UUID> seriesIds) {
        if (seriesIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "from SeriesTranslation where seriesId in :ids order by language", SeriesTranslation.class)
                .setParameter("ids", seriesIds).getResultList())
                .map(rows -> group(rows, t -> t.seriesId));
    }

    /** Every translation of these episodes, by episode id. */
    public Uni<Map<UUID, List<EpisodeTranslation>>> ofEpisodes(Collection<UUID> episodeIds) {
        if (episodeIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "from EpisodeTranslation where episodeId in :ids order by language", EpisodeTranslation.class)
                .setParameter("ids", episodeIds).getResultList())
                .map(rows -> group(rows, t -> t.episodeId));
    }

    public Uni<SeriesTranslation> ofSeries(UUID seriesId, String language) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "from SeriesTranslation where seriesId = :id and language = :language", SeriesTranslation.class)
                .setParameter("id", seriesId).setParameter("language", language).getSingleResultOrNull());
    }

    public Uni<EpisodeTranslation> ofEpisode(UUID episodeId, String language) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "from EpisodeTranslation where episodeId = :id and language = :language", EpisodeTranslation.class)
                .setParameter("id", episodeId).setParameter("language", language).getSingleResultOrNull());
    }

    private static <T> Map<UUID, List<T>> group(List<T> rows, java.util.function.Function<T, UUID> key) {
        Map<UUID, List<T>> byOwner = new HashMap<>();
        for (T row : rows) {
            byOwner.computeIfAbsent(key.apply(row), k -> new java.util.ArrayList<>()).add(row);
        }
        return byOwner;
    }
}

package com.microdrama.catalogue;

import com.microdrama.core.http.PageCursor;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class SeriesRepository implements PanacheRepositoryBase<Series, UUID> {

    /** Visible series in a stable keyset order: the sort key, then the id to break ties. */
    public Uni<List<Series>> visiblePage(SeriesFilter filter, PageCursor after, int rows) {
        StringBuilder query = new StringBuilder("status <> :draft");
        Parameters params = Parameters.with("draft", SeriesStatus.DRAFT);
        if (filter.genre() != null) {
            query.append(" and array_contains(genres, :genre)");
            params.and("genre", filter.genre());
        }
        if (filter.tag() != null) {
            query.append(" and array_contains(tags, :tag)");
            params.and("tag", filter.tag());
        }
        if (filter.language() != null) {
            query.append(" and language = :language");
            params.and("language", filter.language());
        }
        if (!filter.anyLanguage().isEmpty()) {
            StringBuilder any = new StringBuilder();
            for (int i = 0; i < filter.anyLanguage().size(); i++) {
                String primary = filter.anyLanguage().get(i);
                any.append(i == 0 ? "" : " or ").append("lower(language) = :anyLanguage").append(i)
                        .append(" or lower(language) like :anyLanguageVariant").append(i);
                params.and("anyLanguage" + i, primary).and("anyLanguageVariant" + i, primary + "-%");
            }
            query.append(" and (").append(any).append(')');
        }
        if (filter.audio() != null) {
            query.append(" and (language = :audio or language like :audioVariant or ")
                    .append(MediaTrackRepository.SERIES_WITH_TRACK.formatted("audio")).append(')');
            params.and("audio", filter.audio()).and("audioVariant", filter.audio() + "-%")
                    .and("audioKind", MediaTrack.AUDIO);
        }
        if (filter.subtitles() != null) {
            query.append(" and ").append(MediaTrackRepository.SERIES_WITH_TRACK.formatted("subtitles"));
            params.and("subtitles", filter.subtitles()).and("subtitlesVariant", filter.subtitles() + "-%")
                    .and("subtitlesKind", MediaTrack.SUBTITLES);
        }
        String key = filter.sort() == SeriesFilter.Sort.POPULAR ? "popularity" : "publishedAt";
        if (after != null) {
            query.append(" and (").append(key).append(" < :afterKey or (").append(key)
                    .append(" = :afterKey and id < :afterId))");
            params.and("afterKey", filter.sort() == SeriesFilter.Sort.POPULAR ? after.longKey() : after.instantKey())
                    .and("afterId", after.id());
        }
        query.append(" order by ").append(key).append(" desc, id desc");
        return find(query.toString(), params).range(0, rows - 1).list();
    }

    public Uni<List<Series>> producerPage(String producerId, PageCursor after, int rows) {
        String query = "producerId = :producer";
        Parameters params = Parameters.with("producer", producerId);
        if (after != null) {
            query += " and (createdAt < :afterKey or (createdAt = :afterKey and id < :afterId))";
            params.and("afterKey", after.instantKey()).and("afterId", after.id());
        }
        return find(query + " order by createdAt desc, id desc", params).range(0, rows - 1).list();
    }

    /** A series by its id or its slug, the way mobile deep links name it. */
    public Uni<Series> findByIdOrSlug(String idOrSlug) {
        return asUuid(idOrSlug)
                .map(this::findById)
                .orElseGet(() -> find("slug", idOrSlug).firstResult());
    }

    public Uni<Boolean> slugTaken(String slug) {
        return count("slug", slug).map(n -> n > 0);
    }

    private static Optional<UUID> asUuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package com.microdrama.catalogue;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class EpisodeRepository implements PanacheRepositoryBase<Episode, UUID> {

    private static final String VISIBLE = "seriesId = ?1 and published = true and currentVersionId is not null";

    public Uni<List<Episode>> visibleOf(UUID seriesId) {
        return list(VISIBLE, Sort.by("number"), seriesId);
    }

    public Uni<Long> countVisible(UUID seriesId) {
        return count(VISIBLE, seriesId);
    }

    public Uni<List<Episode>> allOf(UUID seriesId) {
        return list("seriesId", Sort.by("number"), seriesId);
    }

    public Uni<EpisodeVersion> currentVersion(UUID episodeId) {
        return getSession().flatMap(session -> session.createSelectionQuery(
                        "select v from EpisodeVersion v, Episode e where e.id = :episode and v.id = e.currentVersionId",
                        EpisodeVersion.class)
                .setParameter("episode", episodeId)
                .getSingleResultOrNull());
    }

    public Uni<Episode> findByNumber(UUID seriesId, int number) {
        return find("seriesId = ?1 and number = ?2", seriesId, number).firstResult();
    }
}

package com.microdrama.catalogue;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class EpisodeRepository implements PanacheRepositoryBase<Episode, UUID> {

    /** {@link EpisodeVisibility} in HQL: current_timestamp is the transaction's now(), like the native queries'. */
    private static final String VISIBLE = "seriesId = ?1 and published = true and currentVersionId is not null"
            + " and (releaseAt is null or releaseAt <= current_timestamp)";

    public Uni<List<Episode>> visibleOf(UUID seriesId) {
        return list(VISIBLE, Sort.by("number"), seriesId);
    }

    public Uni<Long> countVisible(UUID seriesId) {
        return count(VISIBLE, seriesId);
    }

    /** The next published, ready episode whose release time is still ahead; a null item when none is scheduled. */
    public Uni<Episode> nextRelease(UUID seriesId) {
        return find("seriesId = ?1 and published = true and currentVersionId is not null"
                + " and releaseAt > current_timestamp order by releaseAt, number", seriesId).firstResult();
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

    /** The newest version of each episode that has one, by episode id. */
    public Uni<Map<UUID, UUID>> newestVersions(List<UUID> episodeIds) {
        if (episodeIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return getSession().flatMap(session -> session.createSelectionQuery("""
                                select v.episodeId, v.id from EpisodeVersion v
                                where v.episodeId in :episodes order by v.versionNumber
                                """, Object[].class)
                        .setParameter("episodes", episodeIds)
                        .getResultList())
                .map(rows -> {
                    Map<UUID, UUID> newest = new HashMap<>();
                    rows.forEach(row -> newest.put((UUID) row[0], (UUID) row[1]));
                    return newest;
                });
    }

    public Uni<Episode> findByNumber(UUID seriesId, int number) {
        return find("seriesId = ?1 and number = ?2", seriesId, number).firstResult();
    }
}

package com.microdrama.catalogue;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class MediaTrackRepository implements PanacheRepositoryBase<MediaTrack, UUID> {

    /** Series ids whose playable episodes offer a live track of this kind in {@code language} or a variant of it. */
    static final String SERIES_WITH_TRACK = """
            id in (select e.seriesId from Episode e, MediaTrack t where e.published = true
                   and t.versionId = e.currentVersionId and t.state = 'ready' and t.kind = :%1$sKind
                   and (t.language = :%1$s or t.language like :%1$sVariant))""";

    /** The languages of the live tracks of one kind over a series' playable episodes, sorted. */
    public Uni<List<String>> languagesOf(UUID seriesId, String kind) {
        return getSession().flatMap(session -> session.createSelectionQuery("""
                        select distinct t.language from MediaTrack t, Episode e
                        where e.seriesId = :series and e.published = true and t.versionId = e.currentVersionId
                          and t.state = 'ready' and t.kind = :kind order by t.language
                        """, String.class)
                .setParameter("series", seriesId).setParameter("kind", kind).getResultList());
    }
}

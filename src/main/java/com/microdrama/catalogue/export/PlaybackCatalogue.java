package com.microdrama.catalogue.export;

import com.microdrama.catalogue.CatalogueChanges;
import com.microdrama.catalogue.EpisodeVisibility;
import com.microdrama.playback.PlayableEpisodes;
import com.microdrama.playback.PlaybackService.NextEpisode;
import com.microdrama.playback.VisibleSeries;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The catalogue as playback reads it: visible episodes and series, next episodes, segment keys. Reactive SQL,
 * as playback starts and segment keys are on the hot path; what a playback start reads (next episode, tracks) is
 * kept in memory as long as the catalogue does not change ({@link CatalogueChanges}).
 */
@ApplicationScoped
public class PlaybackCatalogue implements PlayableEpisodes, VisibleSeries {

    /** The next episode, keyed by the one before it; "none" is kept as this marker, since a null is never kept. */
    private static final NextEpisode LAST = new NextEpisode(new UUID(0, 0), 0);

    private record After(UUID seriesId, int number) {
    }

    private final Pool pool;
    private final CatalogueChanges.Fresh<After, NextEpisode> nextEpisodes;
    private final CatalogueChanges.Fresh<UUID, Tracks> versionTracks;

    PlaybackCatalogue(Pool pool, CatalogueChanges changes) {
        this.pool = pool;
        this.nextEpisodes = changes.cache(100_000);
        this.versionTracks = changes.cache(100_000);
    }

    @Override
    public Uni<NextEpisode> next(UUID seriesId, int number) {
        return nextEpisodes.get(new After(seriesId, number), () -> nextFromDatabase(seriesId, number))
                .map(next -> next == LAST ? null : next);
    }

    private Uni<NextEpisode> nextFromDatabase(UUID seriesId, int number) {
        return pool.preparedQuery("""
                        select e.id, e.number from episode e where e.series_id = $1 and e.number > $2 and %s
                        order by e.number limit 1
                        """.formatted(EpisodeVisibility.visible("e"))).execute(Tuple.of(seriesId, number))
                .map(rows -> {
                    Row r = first(rows);
                    return r == null ? LAST : new NextEpisode(r.getUUID("id"), r.getInteger("number"));
                });
    }

    @Override
    public Uni<Watchable> watchable(UUID episodeId) {
        return pool.preparedQuery("""
                        select e.duration_ms from episode e join series s on s.id = e.series_id
                        where e.id = $1 and s.status <> 'draft' and %s
                        """.formatted(EpisodeVisibility.visible("e"))).execute(Tuple.of(episodeId))
                .map(rows -> {
                    Row r = first(rows);
                    return r == null ? null : new Watchable(r.getInteger("duration_ms"));
                });
    }

    @Override
    public Uni<byte[]> segmentKey(UUID versionId) {
        return pool.preparedQuery("select encryption_key from episode_version where id = $1 and state = 'ready'")
                .execute(Tuple.of(versionId))
                .map(rows -> {
                    Row r = first(rows);
                    return r == null ? null : r.getBuffer("encryption_key").getBytes();
                });
    }

    @Override
    public Uni<List<Resume>> resume(List<Watched> watched) {
        UUID[] episodes = new UUID[watched.size()];
        Boolean[] completed = new Boolean[watched.size()];
        for (int i = 0; i < episodes.length; i++) {
            episodes[i] = watched.get(i).episodeId();
            completed[i] = watched.get(i).completed();
        }
        return pool.preparedQuery("""
                        with latest as (
                            select distinct on (e.series_id) w.at, e.series_id, e.id, e.number, w.completed
                            from unnest($1::uuid[], $2::boolean[]) with ordinality as w(episode_id, completed, at)
                            join episode e on e.id = w.episode_id
                            order by e.series_id, w.at
                        ), resume as (
                            -- A finished episode, or one no longer visible (unpublished since), resumes at the next
                            -- visible one.
                            select l.at, l.series_id, case when l.completed or not exists (select 1 from episode v
                                    where v.id = l.id and %s)
                                then (select n.id from episode n where n.series_id = l.series_id and n.number > l.number
                                      and %s order by n.number limit 1)
                                else l.id end as episode_id
                            from latest l
                        )
                        select r.at, s.id as series_id, s.slug, s.title as series_title, e.id as episode_id, e.number,
                               e.title as episode_title, e.duration_ms
                        from resume r join series s on s.id = r.series_id left join episode e on e.id = r.episode_id
                        where s.status <> 'draft'
                        order by r.at
                        """.formatted(EpisodeVisibility.visible("v"), EpisodeVisibility.visible("n"))).execute(Tuple.of(episodes, completed))
                .map(rows -> {
                    List<Resume> list = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        list.add(new Resume((int) (r.getLong("at") - 1), r.getUUID("series_id"), r.getString("slug"),
                                r.getString("series_title"), r.getUUID("episode_id"), r.getInteger("number"),
                                r.getString("episode_title"), r.getInteger("duration_ms")));
                    }
                    return list;
                });
    }

    @Override
    public Uni<Tracks> tracks(UUID versionId) {
        return versionTracks.get(versionId, () -> tracksFromDatabase(versionId));
    }

    private Uni<Tracks> tracksFromDatabase(UUID versionId) {
        return pool.preparedQuery("""
                        select s.language as original, t.kind, t.language, t.name, t.dir, t.bandwidth,
                               t.average_bandwidth
                        from episode_version v join episode e on e.id = v.episode_id join series s on s.id = e.series_id
                        left join media_track t on t.version_id = v.id and t.state = 'ready'
                        where v.id = $1 order by t.kind, t.language
                        """).execute(Tuple.of(versionId))
                .map(rows -> {
                    String original = null;
                    List<Track> live = new ArrayList<>();
                    for (Row r : rows) {
                        original = r.getString("original");
                        if (r.getString("dir") != null) {
                            live.add(new Track(r.getString("kind"), r.getString("language"), r.getString("name"),
                                    r.getString("dir"), r.getInteger("bandwidth"), r.getInteger("average_bandwidth")));
                        }
                    }
                    return new Tracks(original, List.copyOf(live));
                });
    }

    @Override
    public Uni<List<Card>> among(List<UUID> ids) {
        return pool.preparedQuery("select id, slug, title from series where id = any($1) and status <> 'draft'")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    List<Card> list = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        list.add(new Card(r.getUUID("id"), r.getString("slug"), r.getString("title")));
                    }
                    return list;
                });
    }

    private static Row first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : rows.iterator().next();
    }
}

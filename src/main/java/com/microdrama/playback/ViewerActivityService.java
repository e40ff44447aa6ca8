package com.microdrama.playback;

import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where each viewer stopped, and the series they keep: small upserts, one statement each. */
@ApplicationScoped
public class ViewerActivityService {

    /** Watching this share of an episode counts as having finished it. */
    private static final double COMPLETED_SHARE = 0.95;
    private static final int CONTINUE_WATCHING_LIMIT = 20;

    private final Pool pool;

    ViewerActivityService(Pool pool) {
        this.pool = pool;
    }

    public record Progress(UUID episodeId, double positionSeconds, boolean completed) {
    }

    public record ContinueWatching(UUID seriesId, String seriesSlug, String seriesTitle, UUID episodeId,
                                   int episodeNumber, String episodeTitle, double positionSeconds,
                                   Double durationSeconds, Instant updatedAt) {
    }

    public record Favourite(UUID seriesId, String slug, String title, Instant since) {
    }

    /** Records a position of a viewer-visible episode; positions past the end are clamped to it. */
    public Uni<Progress> saveProgress(String viewerId, UUID episodeId, double positionSeconds) {
        return pool.preparedQuery("""
                        with visible as (
                            select e.id, e.duration_ms from episode e join series s on s.id = e.series_id
                            where e.id = $2 and e.published and e.current_version_id is not null and s.status <> 'draft'
                        )
                        insert into watch_progress (viewer_id, episode_id, position_ms, completed, updated_at)
                        select $1, visible.id, least($3, coalesce(visible.duration_ms, $3)),
                               visible.duration_ms is not null and $3 >= visible.duration_ms * $4::float8, now()
                        from visible
                        on conflict (viewer_id, episode_id) do update
                            set position_ms = excluded.position_ms, updated_at = now(),
                                completed = watch_progress.completed or excluded.completed
                        returning position_ms, completed
                        """)
                .execute(Tuple.of(viewerId, episodeId, (int) Math.round(positionSeconds * 1000), COMPLETED_SHARE))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("episode", episodeId);
                    }
                    Row row = rows.iterator().next();
                    return new Progress(episodeId, row.getInteger("position_ms") / 1000.0, row.getBoolean("completed"));
                });
    }

    /** Per series, the episode last watched (or the next one once it was finished), most recent first. */
    public Uni<List<ContinueWatching>> continueWatching(String viewerId) {
        return pool.preparedQuery("""
                        with latest as (
                            select distinct on (e.series_id) e.series_id, e.number, wp.position_ms, wp.completed, wp.updated_at
                            from watch_progress wp join episode e on e.id = wp.episode_id
                            where wp.viewer_id = $1
                            order by e.series_id, wp.updated_at desc
                        ), resume as (
                            select l.*, coalesce(
                                case when l.completed then (select n.id from episode n where n.series_id = l.series_id
                                    and n.number > l.number and n.published and n.current_version_id is not null
                                    order by n.number limit 1) end,
                                case when not l.completed then (select c.id from episode c
                                    where c.series_id = l.series_id and c.number = l.number) end) as episode_id
                            from latest l
                        )
                        select s.id as series_id, s.slug, s.title as series_title, e.id as episode_id, e.number,
                               e.title as episode_title, e.duration_ms,
                               case when r.completed then 0 else r.position_ms end as position_ms, r.updated_at
                        from resume r join series s on s.id = r.series_id join episode e on e.id = r.episode_id
                        where s.status <> 'draft'
                        order by r.updated_at desc
                        limit $2
                        """)
                .execute(Tuple.of(viewerId, CONTINUE_WATCHING_LIMIT))
                .map(rows -> {
                    List<ContinueWatching> list = new java.util.ArrayList<>();
                    for (Row r : rows) {
                        Integer duration = r.getInteger("duration_ms");
                        list.add(new ContinueWatching(r.getUUID("series_id"), r.getString("slug"),
                                r.getString("series_title"), r.getUUID("episode_id"), r.getInteger("number"),
                                r.getString("episode_title"), r.getInteger("position_ms") / 1000.0,
                                duration == null ? null : duration / 1000.0,
                                r.getOffsetDateTime("updated_at").toInstant()));
                    }
                    return list;
                });
    }

    public Uni<Void> addFavourite(String viewerId, UUID seriesId) {
        return pool.preparedQuery("""
                        insert into favourite (viewer_id, series_id)
                        select $1, id from series where id = $2 and status <> 'draft'
                        on conflict do nothing
                        returning 1
                        """).execute(Tuple.of(viewerId, seriesId))
                .flatMap(rows -> rows.size() > 0 ? Uni.createFrom().voidItem() : requireVisibleSeries(seriesId));
    }

    public Uni<Void> removeFavourite(String viewerId, UUID seriesId) {
        return pool.preparedQuery("delete from favourite where viewer_id = $1 and series_id = $2")
                .execute(Tuple.of(viewerId, seriesId)).replaceWithVoid();
    }

    public Uni<List<Favourite>> favourites(String viewerId) {
        return pool.preparedQuery("""
                        select s.id, s.slug, s.title, f.created_at from favourite f join series s on s.id = f.series_id
                        where f.viewer_id = $1 and s.status <> 'draft' order by f.created_at desc limit 200
                        """).execute(Tuple.of(viewerId))
                .map(rows -> {
                    List<Favourite> list = new java.util.ArrayList<>();
                    for (Row r : rows) {
                        list.add(new Favourite(r.getUUID("id"), r.getString("slug"), r.getString("title"),
                                r.getOffsetDateTime("created_at").toInstant()));
                    }
                    return list;
                });
    }

    private Uni<Void> requireVisibleSeries(UUID seriesId) {
        return pool.preparedQuery("select 1 from series where id = $1 and status <> 'draft'").execute(Tuple.of(seriesId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("series", seriesId);
                    }
                    return null;
                });
    }
}

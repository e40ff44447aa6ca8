package com.microdrama.playback;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Where each viewer stopped, and the series they keep: small upserts, one statement each, after asking the
 * catalogue whether the viewer may see the episode or series.
 */
@ApplicationScoped
public class ViewerActivityService {

    /** Watching this share of an episode counts as having finished it. */
    private static final double COMPLETED_SHARE = 0.95;
    private static final int CONTINUE_WATCHING_LIMIT = 20;
    private static final int FAVOURITES_LIMIT = 200;
    /** The most recent episodes considered for continue-watching: far more than its 20 series ever need. */
    private static final int RECENT_PROGRESS = 1000;

    private final Pool pool;
    private final PlayableEpisodes episodes;
    private final VisibleSeries series;
    private final PlayCounter counter;

    ViewerActivityService(Pool pool, PlayableEpisodes episodes, VisibleSeries series, PlayCounter counter) {
        this.pool = pool;
        this.episodes = episodes;
        this.series = series;
        this.counter = counter;
    }

    public record Progress(UUID episodeId, double positionSeconds, boolean completed) {
    }

    public record ContinueWatching(UUID seriesId, String seriesSlug, String seriesTitle, UUID episodeId,
                                   int episodeNumber, String episodeTitle, double positionSeconds,
                                   @Schema(nullable = true) Double durationSeconds, Instant updatedAt) {
    }

    public record Favourite(UUID seriesId, String slug, String title, Instant since) {
    }

    /** Records a position of a viewer-visible episode; positions past the end are clamped to it. */
    public Uni<Progress> saveProgress(String viewerId, UUID episodeId, double positionSeconds) {
        int position = (int) Math.round(positionSeconds * 1000);
        return episodes.watchable(episodeId).flatMap(episode -> {
            if (episode == null) {
                throw ApiException.notFound("episode", episodeId);
            }
            Integer duration = episode.durationMs();
            boolean completed = duration != null && position >= duration * COMPLETED_SHARE;
            if (completed) {
                counter.completed(viewerId, episodeId);
            }
            return pool.preparedQuery("""
                            insert into watch_progress (viewer_id, episode_id, position_ms, completed, updated_at)
                            values ($1, $2, $3, $4, now())
                            on conflict (viewer_id, episode_id) do update
                                set position_ms = excluded.position_ms, updated_at = now(),
                                    completed = watch_progress.completed or excluded.completed
                            returning position_ms, completed
                            """)
                    .execute(Tuple.of(viewerId, episodeId, duration == null ? position : Math.min(position, duration),
                            completed))
                    .map(rows -> {
                        Row row = rows.iterator().next();
                        return new Progress(episodeId, row.getInteger("position_ms") / 1000.0,
                                row.getBoolean("completed"));
                    });
        });
    }

    /**
     * Per series, the episode last watched (or the next one once it was finished), most recent first. Two round
     * trips whatever the history: the viewer's progress, then one catalogue lookup for all of it.
     */
    public Uni<List<ContinueWatching>> continueWatching(String viewerId) {
        return watching(viewerId).map(Watching::continuing);
    }

    /** What a viewer is in the middle of, and the series they have seen all of (as far as released). */
    public record Watching(List<ContinueWatching> continuing, List<UUID> finishedSeries) {
    }

    /** {@link #continueWatching} and the finished series, from the same two round trips. */
    public Uni<Watching> watching(String viewerId) {
        return watching(viewerId, episodes::resume);
    }

    /**
     * {@link #watching(String)} with the catalogue's resume points answered by {@code resume} (the feed passes its
     * in-memory copy, saving the second round trip).
     */
    public Uni<Watching> watching(String viewerId,
                                  Function<List<PlayableEpisodes.Watched>, Uni<List<PlayableEpisodes.Resume>>> resume) {
        return pool.preparedQuery("""
                        select episode_id, position_ms, completed, updated_at from watch_progress
                        where viewer_id = $1 order by updated_at desc limit $2
                        """)
                .execute(Tuple.of(viewerId, RECENT_PROGRESS))
                .flatMap(rows -> {
                    List<Row> progress = new ArrayList<>(rows.size());
                    List<PlayableEpisodes.Watched> watched = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        progress.add(r);
                        watched.add(new PlayableEpisodes.Watched(r.getUUID("episode_id"), r.getBoolean("completed")));
                    }
                    if (watched.isEmpty()) {
                        return Uni.createFrom().item(new Watching(List.of(), List.of()));
                    }
                    return resume.apply(watched).map(points -> new Watching(points.stream()
                            .filter(p -> !p.finished()).limit(CONTINUE_WATCHING_LIMIT)
                            .map(p -> {
                                Row r = progress.get(p.watched());
                                boolean sameEpisode = p.episodeId().equals(r.getUUID("episode_id"));
                                int position = r.getBoolean("completed") || !sameEpisode ? 0 : r.getInteger("position_ms");
                                return new ContinueWatching(p.seriesId(), p.seriesSlug(), p.seriesTitle(),
                                        p.episodeId(), p.episodeNumber(), p.episodeTitle(), position / 1000.0,
                                        p.durationMs() == null ? null : p.durationMs() / 1000.0,
                                        r.getOffsetDateTime("updated_at").toInstant());
                            }).toList(),
                            points.stream().filter(PlayableEpisodes.Resume::finished)
                                    .map(PlayableEpisodes.Resume::seriesId).toList()));
                });
    }

    public Uni<Void> addFavourite(String viewerId, UUID seriesId) {
        return series.among(List.of(seriesId)).flatMap(visible -> {
            if (visible.isEmpty()) {
                throw ApiException.notFound("series", seriesId);
            }
            return pool.preparedQuery("insert into favourite (viewer_id, series_id) values ($1, $2) on conflict do nothing")
                    .execute(Tuple.of(viewerId, seriesId)).replaceWithVoid();
        });
    }

    public Uni<Void> removeFavourite(String viewerId, UUID seriesId) {
        return pool.preparedQuery("delete from favourite where viewer_id = $1 and series_id = $2")
                .execute(Tuple.of(viewerId, seriesId)).replaceWithVoid();
    }

    public Uni<List<Favourite>> favourites(String viewerId) {
        return pool.preparedQuery("select series_id, created_at from favourite where viewer_id = $1 order by created_at desc")
                .execute(Tuple.of(viewerId))
                .flatMap(rows -> {
                    List<UUID> ids = new ArrayList<>(rows.size());
                    rows.forEach(r -> ids.add(r.getUUID("series_id")));
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(List.<Favourite>of());
                    }
                    return series.among(ids).map(visible -> {
                        Map<UUID, VisibleSeries.Card> cards = new HashMap<>();
                        visible.forEach(card -> cards.put(card.id(), card));
                        List<Favourite> list = new ArrayList<>();
                        for (Row r : rows) {
                            if (list.size() == FAVOURITES_LIMIT) {
                                break;
                            }
                            VisibleSeries.Card card = cards.get(r.getUUID("series_id"));
                            if (card != null) {
                                list.add(new Favourite(card.id(), card.slug(), card.title(),
                                        r.getOffsetDateTime("created_at").toInstant()));
                            }
                        }
                        return list;
                    });
                });
    }
}

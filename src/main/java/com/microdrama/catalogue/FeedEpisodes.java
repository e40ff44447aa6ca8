package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.CoverUrls;
import com.microdrama.catalogue.dto.FeedItem;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The episodes a feed page shows, with their series and price, in one round trip each (reactive SQL: a hot path). */
@ApplicationScoped
public class FeedEpisodes {

    /** An episode as the feed needs it. */
    public record FeedEpisode(FeedItem.SeriesCard series, UUID episodeId, int number, String title, Integer durationMs,
                       UUID versionId, int price, boolean free) {
    }

    private static final String COLUMNS = """
            s.id as series_id, s.slug, s.title as series_title, s.cover_image_key, e.id, e.number, e.title,
            e.duration_ms, e.current_version_id, coalesce(e.price_override, s.coin_price) as price,
            e.number <= s.free_episode_count or coalesce(e.price_override, s.coin_price) = 0 as free
            from episode e join series s on s.id = e.series_id
            where s.status <> 'draft' and\s""" + EpisodeVisibility.visible("e");

    private final Pool pool;

    FeedEpisodes(Pool pool) {
        this.pool = pool;
    }

    /** The given episodes if still visible, by episode id. */
    public Uni<Map<UUID, FeedEpisode>> byEpisode(List<UUID> episodeIds) {
        return query("select " + COLUMNS + " and e.id = any($1)", episodeIds, true);
    }

    /** Each series' first visible episode, by series id. */
    public Uni<Map<UUID, FeedEpisode>> firstOfSeries(List<UUID> seriesIds) {
        return query("select distinct on (e.series_id) " + COLUMNS + " and e.series_id = any($1)"
                + " order by e.series_id, e.number", seriesIds, false);
    }

    private Uni<Map<UUID, FeedEpisode>> query(String sql, List<UUID> ids, boolean byEpisode) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(sql).execute(Tuple.of(ids.toArray(UUID[]::new))).map((RowSet<Row> rows) -> {
            Map<UUID, FeedEpisode> found = new HashMap<>();
            for (Row r : rows) {
                FeedEpisode episode = new FeedEpisode(new FeedItem.SeriesCard(r.getUUID("series_id"), r.getString("slug"),
                        r.getString("series_title"), CoverUrls.of(r.getString("cover_image_key"))),
                        r.getUUID("id"), r.getInteger("number"), r.getString("title"), r.getInteger("duration_ms"),
                        r.getUUID("current_version_id"), r.getInteger("price"), r.getBoolean("free"));
                found.put(byEpisode ? episode.episodeId() : episode.series().id(), episode);
            }
            return found;
        });
    }
}

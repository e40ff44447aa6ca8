package com.microdrama.catalogue.export;

import com.microdrama.catalogue.CatalogueChanges;
import com.microdrama.catalogue.EpisodeVisibility;
import com.microdrama.core.persistence.Rows;
import com.microdrama.paywall.PricedEpisode;
import com.microdrama.paywall.PricedEpisodes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** The catalogue's answer to the paywall: visible episodes with their price, by the reactive client (playback start). */
@ApplicationScoped
public class EpisodePrices implements PricedEpisodes {

    private static final String VISIBLE = """
            select e.id, e.series_id, e.number, e.current_version_id, e.duration_ms,
                   coalesce(e.price_override, s.coin_price) as price,
                   e.number <= s.free_episode_count or coalesce(e.price_override, s.coin_price) = 0 as free
            from episode e join series s on s.id = e.series_id
            where s.status <> 'draft' and
            """ + EpisodeVisibility.visible("e");

    private final Pool pool;
    private final CatalogueChanges.Fresh<UUID, PricedEpisode> cached;

    EpisodePrices(Pool pool, CatalogueChanges changes) {
        this.pool = pool;
        this.cached = changes.cache(100_000);
    }

    @Override
    public Uni<PricedEpisode> playableCached(UUID episodeId) {
        return cached.get(episodeId, () -> playable(episodeId));
    }

    @Override
    public Uni<PricedEpisode> playable(UUID episodeId) {
        return pool.preparedQuery(VISIBLE + " and e.id = $1").execute(Tuple.of(episodeId))
                .map(rows -> rows.size() == 0 ? null : priced(rows.iterator().next()));
    }

    @Override
    public Uni<List<PricedEpisode>> lockable(UUID seriesId) {
        return pool.preparedQuery(VISIBLE + """
                          and s.id = $1 and e.number > s.free_episode_count and coalesce(e.price_override, s.coin_price) > 0
                        order by e.number
                        """).execute(Tuple.of(seriesId))
                .map(rows -> Rows.stream(rows).map(EpisodePrices::priced).toList());
    }

    private static PricedEpisode priced(Row r) {
        return new PricedEpisode(r.getUUID("id"), r.getUUID("series_id"), r.getInteger("number"),
                r.getUUID("current_version_id"), r.getInteger("duration_ms"), r.getLong("price"), r.getBoolean("free"));
    }
}

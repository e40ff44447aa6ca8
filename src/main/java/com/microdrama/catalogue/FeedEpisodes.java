package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.CoverUrls;
import com.microdrama.catalogue.dto.FeedItem;
import com.microdrama.playback.PlayableEpisodes;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.time.Duration;

/**
 * The episodes a feed page shows, from an in-memory copy of each series and its episodes, kept until the catalogue
 * announces a change ({@link CatalogueChanges}). Visibility is decided at the request's instant from the copied
 * release times, so a scheduled episode appears on time. Series missing from memory are read in one round trip for
 * the whole page, so a warm feed page reads nothing of the catalogue from PostgreSQL.
 */
@ApplicationScoped
public class FeedEpisodes {

    /** An episode as the feed needs it. */
    public record FeedEpisode(FeedItem.SeriesCard series, UUID episodeId, int number, String title, Integer durationMs,
                              UUID versionId, int price, boolean free) {
    }

    /** A series as read at one instant, its episodes by number; {@code listed}: not a draft. */
    record SeriesCopy(FeedItem.SeriesCard card, boolean listed, int freeEpisodeCount, int coinPrice,
                      List<EpisodeCopy> episodes) {

        EpisodeCopy episode(UUID id) {
            for (EpisodeCopy e : episodes) {
                if (e.id().equals(id)) {
                    return e;
                }
            }
            return null;
        }

        /** The first episode after {@code number} visible at {@code now}, or null. */
        EpisodeCopy nextVisible(int number, Instant now) {
            for (EpisodeCopy e : episodes) {
                if (e.number() > number && e.visible(now)) {
                    return e;
                }
            }
            return null;
        }

        FeedEpisode feedEpisode(EpisodeCopy e) {
            int price = e.priceOverride() != null ? e.priceOverride() : coinPrice;
            return new FeedEpisode(card, e.id(), e.number(), e.title(), e.durationMs(), e.versionId(), price,
                    e.number() <= freeEpisodeCount || price == 0);
        }
    }

    /** {@link EpisodeVisibility}'s condition, held in memory. */
    record EpisodeCopy(UUID id, int number, String title, Integer durationMs, UUID versionId, boolean published,
                       Instant releaseAt, Integer priceOverride) {

        boolean visible(Instant now) {
            return published && versionId != null && (releaseAt == null || !releaseAt.isAfter(now));
        }
    }

    private static final String LOAD = """
            select s.id as series_id, s.slug, s.title as series_title, s.cover_image_key, s.status,
                   s.free_episode_count, s.coin_price, e.id, e.number, e.title, e.duration_ms, e.current_version_id,
                   e.published, e.release_at, e.price_override
            from series s left join episode e on e.series_id = s.id
            where s.id = any($1) or s.id in (select series_id from episode where id = any($2))
            order by s.id, e.number
            """;

    private final Pool pool;
    private final CatalogueChanges.Fresh<UUID, SeriesCopy> series;
    /**
     * Which series an episode belongs to: it never changes, so this outlives the copies. Maintenance on the calling
     * thread, as in {@link CatalogueChanges#cache}.
     */
    private final Cache<UUID, UUID> seriesOfEpisode;

    FeedEpisodes(Pool pool, FeedConfig config, CatalogueChanges changes) {
        this.pool = pool;
        this.series = changes.cache(config.seriesCacheSize());
        this.seriesOfEpisode = Caffeine.newBuilder().executor(Runnable::run).expireAfterAccess(Duration.ofHours(1))
                .maximumSize(config.seriesCacheSize() * 25L).build();
    }

    /** The given episodes if still visible, by episode id. */
    public Uni<Map<UUID, FeedEpisode>> byEpisode(List<UUID> episodeIds) {
        return copies(List.of(), episodeIds).map(copies -> {
            Instant now = Instant.now();
            Map<UUID, FeedEpisode> found = new HashMap<>();
            for (UUID id : episodeIds) {
                SeriesCopy s = copies.get(known(id));
                EpisodeCopy e = s == null ? null : s.episode(id);
                if (e != null && s.listed() && e.visible(now)) {
                    found.put(id, s.feedEpisode(e));
                }
            }
            return found;
        });
    }

    /** Each series' first visible episode, by series id. */
    public Uni<Map<UUID, FeedEpisode>> firstOfSeries(List<UUID> seriesIds) {
        return copies(seriesIds, List.of()).map(copies -> {
            Instant now = Instant.now();
            Map<UUID, FeedEpisode> found = new HashMap<>();
            for (UUID id : seriesIds) {
                SeriesCopy s = copies.get(id);
                EpisodeCopy first = s == null || !s.listed() ? null : s.nextVisible(Integer.MIN_VALUE, now);
                if (first != null) {
                    found.put(id, s.feedEpisode(first));
                }
            }
            return found;
        });
    }

    /**
     * {@link PlayableEpisodes#resume} answered from the copies: per series, the first of {@code watched} in it
     * decides; a finished or no longer visible episode resumes at the next visible one (none: finished); draft
     * series are left out; the answer is ordered as {@code watched}.
     */
    public Uni<List<PlayableEpisodes.Resume>> resume(List<PlayableEpisodes.Watched> watched) {
        List<UUID> ids = watched.stream().map(PlayableEpisodes.Watched::episodeId).toList();
        return copies(List.of(), ids).map(copies -> {
            Instant now = Instant.now();
            List<PlayableEpisodes.Resume> resumed = new ArrayList<>();
            Set<UUID> seen = new HashSet<>();
            for (int i = 0; i < watched.size(); i++) {
                PlayableEpisodes.Watched w = watched.get(i);
                SeriesCopy s = copies.get(known(w.episodeId()));
                EpisodeCopy e = s == null ? null : s.episode(w.episodeId());
                if (e == null || !seen.add(s.card().id()) || !s.listed()) {
                    continue;
                }
                EpisodeCopy at = w.completed() || !e.visible(now) ? s.nextVisible(e.number(), now) : e;
                resumed.add(at == null
                        ? new PlayableEpisodes.Resume(i, s.card().id(), s.card().slug(), s.card().title(), null, null,
                                null, null)
                        : new PlayableEpisodes.Resume(i, s.card().id(), s.card().slug(), s.card().title(), at.id(),
                                at.number(), at.title(), at.durationMs()));
            }
            return resumed;
        });
    }

    private UUID known(UUID episodeId) {
        return seriesOfEpisode.getIfPresent(episodeId);
    }

    /** The copies of the given series and of the series of the given episodes, by series id; misses in one query. */
    private Uni<Map<UUID, SeriesCopy>> copies(Collection<UUID> seriesIds, Collection<UUID> episodeIds) {
        Map<UUID, SeriesCopy> found = new HashMap<>();
        List<UUID> missingSeries = new ArrayList<>();
        List<UUID> missingEpisodes = new ArrayList<>();
        for (UUID id : seriesIds) {
            if (!take(id, found)) {
                missingSeries.add(id);
            }
        }
        for (UUID id : episodeIds) {
            UUID seriesId = known(id);
            if (seriesId == null || !(found.containsKey(seriesId) || take(seriesId, found))) {
                missingEpisodes.add(id);
            }
        }
        if (missingSeries.isEmpty() && missingEpisodes.isEmpty()) {
            return Uni.createFrom().item(found);
        }
        long generation = series.generation();
        return pool.preparedQuery(LOAD)
                .execute(Tuple.of(missingSeries.toArray(UUID[]::new), missingEpisodes.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, List<Row>> bySeries = new LinkedHashMap<>();
                    for (Row r : rows) {
                        bySeries.computeIfAbsent(r.getUUID("series_id"), k -> new ArrayList<>()).add(r);
                    }
                    bySeries.forEach((id, seriesRows) -> {
                        SeriesCopy copy = copy(seriesRows);
                        series.put(id, copy, generation);
                        for (EpisodeCopy e : copy.episodes()) {
                            seriesOfEpisode.put(e.id(), id);
                        }
                        found.put(id, copy);
                    });
                    return found;
                });
    }

    private boolean take(UUID seriesId, Map<UUID, SeriesCopy> found) {
        SeriesCopy copy = series.ifPresent(seriesId);
        if (copy == null) {
            return false;
        }
        found.put(seriesId, copy);
        return true;
    }

    private static SeriesCopy copy(List<Row> rows) {
        Row first = rows.get(0);
        List<EpisodeCopy> episodes = new ArrayList<>(rows.size());
        for (Row r : rows) {
            if (r.getUUID("id") != null) {
                OffsetDateTime releaseAt = r.getOffsetDateTime("release_at");
                episodes.add(new EpisodeCopy(r.getUUID("id"), r.getInteger("number"), r.getString("title"),
                        r.getInteger("duration_ms"), r.getUUID("current_version_id"), r.getBoolean("published"),
                        releaseAt == null ? null : releaseAt.toInstant(), r.getInteger("price_override")));
            }
        }
        return new SeriesCopy(new FeedItem.SeriesCard(first.getUUID("series_id"), first.getString("slug"),
                first.getString("series_title"), CoverUrls.of(first.getString("cover_image_key"))),
                !"draft".equals(first.getString("status")), first.getInteger("free_episode_count"),
                first.getInteger("coin_price"), List.copyOf(episodes));
    }
}

package com.microdrama.catalogue.export;

import com.microdrama.catalogue.TrendingConfig;
import com.microdrama.playback.PlayCounter;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plays counted for the "popular" sort (all-time) and for trending (decayed, one count per viewer, episode and
 * window). Counted in memory and written to PostgreSQL in a few statements every few seconds: an UPDATE of the
 * series row per play would serialise every viewer of a hit series on one row lock. A crash loses at most one
 * interval of counts, which a ranking can afford. The interval is {@code playback.popularity-flush}
 * (PlaybackConfig), since playback is what counts the plays.
 */
@ApplicationScoped
public class PopularityCounter implements PlayCounter {

    /** Trending weights: finishing an episode says more than starting it. */
    static final double PLAY_WEIGHT = 1;
    static final double COMPLETION_WEIGHT = 2;
    /** Scores are scaled to this instant (see migration V12). */
    static final Instant REFERENCE = Instant.parse("2026-01-01T00:00:00Z");
    /** Trending events written per statement. */
    static final int CHUNK = 2_000;

    /** One viewer's event in one window: a set, so a loop of replays between two flushes is one entry already. */
    record TrendEvent(String viewerId, UUID episodeId, String kind, Instant windowStart) {
    }

    private final Map<UUID, LongAdder> plays = new ConcurrentHashMap<>();
    /** Each event with the time it was first seen. */
    private final Map<TrendEvent, Instant> events = new ConcurrentHashMap<>();
    private final Pool pool;
    private final TrendingConfig trending;

    PopularityCounter(Pool pool, TrendingConfig trending) {
        this.pool = pool;
        this.trending = trending;
    }

    @Override
    public void played(String viewerId, UUID seriesId, UUID episodeId) {
        plays.computeIfAbsent(seriesId, id -> new LongAdder()).increment();
        counted(viewerId, episodeId, "play", Instant.now());
    }

    @Override
    public void opened(String viewerId, UUID episodeId) {
        counted(viewerId, episodeId, "play", Instant.now());
    }

    @Override
    public void completed(String viewerId, UUID episodeId) {
        counted(viewerId, episodeId, "completion", Instant.now());
    }

    /** An event at {@code at}; public so that tests can place events in the past to check the half-life. */
    public void counted(String viewerId, UUID episodeId, String kind, Instant at) {
        long window = trending.window().toMillis();
        Instant windowStart = Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), window) * window);
        events.putIfAbsent(new TrendEvent(viewerId, episodeId, kind, windowStart), at);
    }

    @Scheduled(every = "${playback.popularity-flush:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void flush() {
        flushPopularity();
        flushTrending();
    }

    private void flushPopularity() {
        List<Tuple> batch = new ArrayList<>();
        for (UUID series : List.copyOf(plays.keySet())) {
            long count = plays.remove(series).sum();
            if (count > 0) {
                batch.add(Tuple.of(series, count));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            pool.preparedQuery("update series set popularity = popularity + $2 where id = $1").executeBatch(batch)
                    .await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            Log.warnf("Play counts of %d series not saved: %s", batch.size(), e.getMessage());
        }
    }

    /**
     * The events in statements of at most {@link #CHUNK}, one after another, then the windows that no event can
     * reach any more are dropped. One statement of all of them (50,000 at 5,000 plays/s) would hold the event loop that
     * encodes it, and with one loop a core (EVENT_LOOPS) every request waits for it.
     */
    private void flushTrending() {
        List<TrendEvent> all = List.copyOf(events.keySet());
        if (all.isEmpty()) {
            return;
        }
        for (int from = 0; from < all.size(); from += CHUNK) {
            flushTrending(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        try {
            pool.preparedQuery("delete from trend_count where window_start < $1")
                    .execute(Tuple.of(Instant.now().minus(trending.window().multipliedBy(2)).atOffset(ZoneOffset.UTC)))
                    .await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            Log.warnf("Old trending windows not dropped: %s", e.getMessage());
        }
    }

    /**
     * One statement: the events not counted yet in their window are recorded (the primary key refuses the rest),
     * and only those are added to their series' score, as a log-sum-exp so that the log stays exact.
     */
    private void flushTrending(List<TrendEvent> batch) {
        int n = batch.size();
        String[] viewers = new String[n];
        UUID[] episodes = new UUID[n];
        String[] kinds = new String[n];
        OffsetDateTime[] windows = new OffsetDateTime[n];
        Double[] contributions = new Double[n];
        double perSecond = Math.log(2) / trending.halfLife().toSeconds();
        for (int i = 0; i < n; i++) {
            TrendEvent e = batch.get(i);
            Instant at = events.remove(e);
            viewers[i] = e.viewerId();
            episodes[i] = e.episodeId();
            kinds[i] = e.kind();
            windows[i] = e.windowStart().atOffset(ZoneOffset.UTC);
            double weight = e.kind().equals("play") ? PLAY_WEIGHT : COMPLETION_WEIGHT;
            contributions[i] = Math.log(weight) + (at.getEpochSecond() - REFERENCE.getEpochSecond()) * perSecond;
        }
        try {
            pool.preparedQuery("""
                    with event as (
                        select * from unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::float8[])
                            as ev(viewer_id, episode_id, kind, window_start, contribution)
                    ), counted as (
                        insert into trend_count (viewer_id, episode_id, kind, window_start)
                        select viewer_id, episode_id, kind, window_start from event
                        on conflict do nothing
                        returning viewer_id, episode_id, kind, window_start
                    ), added as (
                        select e.series_id, ev.contribution, max(ev.contribution) over (partition by e.series_id) as top
                        from counted c join event ev using (viewer_id, episode_id, kind, window_start)
                        join episode e on e.id = c.episode_id
                    ), per_series as (
                        select series_id, top + ln(sum(exp(contribution - top))) as gained from added
                        group by series_id, top
                    )
                    update series s set trend_log = case when s.trend_log = '-Infinity' then p.gained
                        else greatest(s.trend_log, p.gained) + ln(1 + exp(-abs(s.trend_log - p.gained))) end
                    from per_series p where s.id = p.series_id
                    """).execute(Tuple.of(viewers, episodes, kinds, windows, contributions))
                    .await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            Log.warnf("Trending counts of %d events not saved: %s", n, e.getMessage());
        }
    }
}

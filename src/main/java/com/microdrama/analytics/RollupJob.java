package com.microdrama.analytics;

import com.microdrama.core.config.AppConfig;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.core.persistence.Rows;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Folds the raw events that arrived since the watermark into the viewers' watches and the hourly and daily rollups,
 * in one transaction that also moves the watermark: each event is counted exactly once, whichever process runs the
 * job (an advisory lock lets one run at a time; the others wait and then find nothing new). Producers' analytics read
 * only the rollups. Scheduled only where workers run (roles {@code all} and {@code worker}): a fold of a minute's
 * events holds the event loop that encodes it for seconds, and on an API pod that is the one loop serving viewers
 * (scripts/bench/hot-paths.sh: a playback start's p99 at a steady rate went to 0.6–1.5 s once a minute).
 */
@ApplicationScoped
public class RollupJob {

    private static final long LOCK = 0x616e616c79L; // "analy"

    private static final String UPSERT_ROLLUP = """
            insert into analytics_rollup as r (series_id, grain, bucket, episode_id, number, views, starters, completions,
                share_permille_sum, dropoff, continued, reached_from_first, paywall_shown, paywall_converted,
                paid_from_first, unlocks, coins, ad_unlocks)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
            on conflict (series_id, grain, bucket, episode_id) do update set
                views = r.views + excluded.views, starters = r.starters + excluded.starters,
                completions = r.completions + excluded.completions,
                share_permille_sum = r.share_permille_sum + excluded.share_permille_sum,
                dropoff = (select array_agg(a + b order by i) from unnest(r.dropoff, excluded.dropoff) with ordinality as d(a, b, i)),
                continued = r.continued + excluded.continued, reached_from_first = r.reached_from_first + excluded.reached_from_first,
                paywall_shown = r.paywall_shown + excluded.paywall_shown,
                paywall_converted = r.paywall_converted + excluded.paywall_converted,
                paid_from_first = r.paid_from_first + excluded.paid_from_first, unlocks = r.unlocks + excluded.unlocks,
                coins = r.coins + excluded.coins, ad_unlocks = r.ad_unlocks + excluded.ad_unlocks
            """;

    private static final String UPSERT_WATCH = """
            insert into analytics_viewer_episode (viewer_id, episode_id, series_id, number, duration_ms, started_at,
                max_position_ms, completed, continued, from_first, paywall_shown_at, unlocked_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            on conflict (viewer_id, episode_id) do update set duration_ms = excluded.duration_ms,
                started_at = excluded.started_at, max_position_ms = excluded.max_position_ms,
                completed = excluded.completed, continued = excluded.continued, from_first = excluded.from_first,
                paywall_shown_at = excluded.paywall_shown_at, unlocked_at = excluded.unlocked_at
            """;

    private final Pool pool;
    private final KnownEpisodes episodes;
    private final UniqueViewers uniques;
    private final AnalyticsConfig config;

    private final AppConfig app;

    RollupJob(Pool pool, KnownEpisodes episodes, UniqueViewers uniques, AnalyticsConfig config, AppConfig app) {
        this.app = app;
        this.pool = pool;
        this.episodes = episodes;
        this.uniques = uniques;
        this.config = config;
    }

    @Scheduled(every = "${analytics.rollup-every:1m}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!app.role().runsWorkers()) {
            return;
        }
        try {
            catchUp();
        } catch (RuntimeException e) {
            Log.warnf(e, "Analytics rollup failed; it is retried at the next run");
        }
    }

    /** Folds until what is left is younger than the settle time; answers how many events it folded. Blocking. */
    public int catchUp() {
        int total = 0;
        Run run;
        do {
            run = Blocking.await(() -> pool.withTransaction(this::fold));
            total += run.folded();
        } while (run.cut() || run.folded() > 0 && backlog());
        return total;
    }

    /** One fold: how many events, and whether the event limit cut its span short (more are waiting). */
    private record Run(int folded, boolean cut) {
    }

    /** Whether arrivals older than the settle time are still waiting (after a backlog or a long pause). */
    private boolean backlog() {
        return Blocking.await(() -> pool.preparedQuery(
                        "select received_until < now() - make_interval(secs => $1) as behind from analytics_watermark")
                .execute(Tuple.of((double) config.rollupSettle().plus(config.rollupMaxSpan()).toSeconds()))
                .map(rows -> rows.iterator().next().getBoolean("behind")));
    }

    private Uni<Run> fold(SqlClient tx) {
        return tx.preparedQuery("select pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK))
                .flatMap(x -> tx.preparedQuery("""
                                select received_until as since,
                                       least(now() - make_interval(secs => $1), received_until + make_interval(secs => $2)) as until
                                from analytics_watermark for update
                                """)
                        .execute(Tuple.of(config.rollupSettle().toMillis() / 1000.0, config.rollupMaxSpan().toMillis() / 1000.0)))
                .flatMap(rows -> {
                    Row window = rows.iterator().next();
                    OffsetDateTime since = window.getOffsetDateTime("since");
                    OffsetDateTime until = window.getOffsetDateTime("until");
                    if (!until.isAfter(since)) {
                        return Uni.createFrom().item(new Run(0, false));
                    }
                    return arrived(tx, since, until)
                            .flatMap(batch -> (batch.events().isEmpty() ? Uni.createFrom().voidItem() : fold(tx, batch.events()))
                                    .flatMap(x -> tx.preparedQuery("update analytics_watermark set received_until = $1")
                                            .execute(Tuple.of(batch.until())))
                                    .replaceWith(new Run(batch.events().size(), batch.cut())));
                });
    }

    /** Events to fold, in time order, the arrival time up to which they are all of them, and whether the limit cut it. */
    private record Arrivals(List<WatchFold.Event> events, OffsetDateTime until, boolean cut) {
    }

    /**
     * At most {@code analytics.rollup-max-events} arrivals, oldest first. When the limit cuts the span, it ends
     * just before the last arrival time read: a batch shares one arrival time, so none is split between two runs.
     */
    private Uni<Arrivals> arrived(SqlClient tx, OffsetDateTime since, OffsetDateTime until) {
        int limit = config.rollupMaxEvents();
        // The bounds on occurred_at only let PostgreSQL skip partitions: no event lies outside them.
        return tx.preparedQuery("""
                        select occurred_at, viewer_id, event_id, kind, episode_id, position_ms, coins, received_at
                        from analytics_event
                        where received_at > $1 and received_at <= $2 and occurred_at >= $3 and occurred_at <= $4
                        order by received_at limit $5
                        """)
                .execute(Tuple.of(since, until, since.minus(config.maxLateness()).minusHours(1),
                        until.plus(config.maxClockAhead()).plusHours(1), limit))
                .map(rows -> {
                    List<Row> read = Rows.stream(rows).toList();
                    OffsetDateTime end = until;
                    if (read.size() == limit) {
                        OffsetDateTime last = read.get(read.size() - 1).getOffsetDateTime("received_at");
                        if (read.stream().anyMatch(r -> r.getOffsetDateTime("received_at").isBefore(last))) {
                            end = last.minusNanos(1000);
                            OffsetDateTime cut = end;
                            read = read.stream().filter(r -> !r.getOffsetDateTime("received_at").isAfter(cut)).toList();
                        } else {
                            end = last;
                        }
                    }
                    List<WatchFold.Event> events = read.stream()
                            .sorted(Comparator.comparing((Row r) -> r.getOffsetDateTime("occurred_at"))
                                    .thenComparing(r -> r.getString("event_id")))
                            .map(r -> new WatchFold.Event(Rows.instant(r, "occurred_at"), r.getString("viewer_id"),
                                    r.getString("kind"), r.getUUID("episode_id"), r.getInteger("position_ms"), r.getLong("coins")))
                            .toList();
                    return new Arrivals(events, end, rows.size() == limit);
                });
    }

    private Uni<Void> fold(SqlClient tx, List<WatchFold.Event> events) {
        Set<UUID> episodeIds = new LinkedHashSet<>();
        events.forEach(e -> episodeIds.add(e.episodeId()));
        return episodes.of(episodeIds).flatMap(placements -> {
            Set<String> viewers = new LinkedHashSet<>();
            Set<UUID> series = new LinkedHashSet<>();
            events.forEach(e -> {
                if (placements.containsKey(e.episodeId())) {
                    viewers.add(e.viewerId());
                    series.add(placements.get(e.episodeId()).seriesId());
                }
            });
            return watches(tx, viewers, series).flatMap(known -> {
                WatchFold fold = new WatchFold(known);
                fold.apply(events, placements);
                List<UniqueViewers.Seen> seen = events.stream()
                        .filter(e -> EventKinds.PLAYBACK_START.equals(e.kind()) && placements.containsKey(e.episodeId()))
                        .map(e -> new UniqueViewers.Seen(e.episodeId(), placements.get(e.episodeId()).seriesId(),
                                e.viewerId(), e.occurredAt()))
                        .toList();
                return saveWatches(tx, fold.changedWatches())
                        .flatMap(x -> saveCounts(tx, fold.counts()))
                        .flatMap(x -> saveUniques(tx, seen));
            });
        });
    }

    /** The watches of these viewers in these series (a superset of the pairs the events touch; never fewer). */
    private Uni<List<Watch>> watches(SqlClient tx, Set<String> viewers, Set<UUID> series) {
        return tx.preparedQuery("""
                        select * from analytics_viewer_episode where viewer_id = any($1) and series_id = any($2)
                        """)
                .execute(Tuple.of(viewers.toArray(String[]::new), series.toArray(UUID[]::new)))
                .map(rows -> Rows.stream(rows).map(RollupJob::watch).toList());
    }

    private static Watch watch(Row r) {
        Watch w = new Watch(r.getString("viewer_id"), r.getUUID("episode_id"), r.getUUID("series_id"), r.getInteger("number"));
        w.durationMs = r.getInteger("duration_ms");
        w.startedAt = Rows.instant(r, "started_at");
        w.maxPositionMs = r.getInteger("max_position_ms");
        w.completed = r.getBoolean("completed");
        w.continued = r.getBoolean("continued");
        w.fromFirst = r.getBoolean("from_first");
        w.paywallShownAt = Rows.instant(r, "paywall_shown_at");
        w.unlockedAt = Rows.instant(r, "unlocked_at");
        return w;
    }

    private static Uni<Void> saveWatches(SqlClient tx, Collection<Watch> changed) {
        if (changed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = changed.stream().map(w -> Tuple.from(Arrays.asList(w.viewerId, w.episodeId, w.seriesId,
                w.number, w.durationMs, utc(w.startedAt), w.maxPositionMs, w.completed, w.continued, w.fromFirst,
                utc(w.paywallShownAt), utc(w.unlockedAt)))).toList();
        return tx.preparedQuery(UPSERT_WATCH).executeBatch(rows).replaceWithVoid();
    }

    private static Uni<Void> saveCounts(SqlClient tx, RollupCounts counts) {
        List<Tuple> rows = new ArrayList<>();
        counts.changed().forEach((key, c) -> {
            RollupCounts.Place place = counts.place(key.episodeId());
            Long[] dropoff = new Long[10];
            for (int i = 0; i < 10; i++) {
                dropoff[i] = c[RollupCounts.DROPOFF + i];
            }
            rows.add(Tuple.from(Arrays.asList(place.seriesId(), key.grain(), utc(key.bucket()), key.episodeId(),
                    place.number(), c[RollupCounts.VIEWS], c[RollupCounts.STARTERS], c[RollupCounts.COMPLETIONS],
                    c[RollupCounts.SHARE_PERMILLE], dropoff, c[RollupCounts.CONTINUED], c[RollupCounts.REACHED_FROM_FIRST],
                    c[RollupCounts.PAYWALL_SHOWN], c[RollupCounts.PAYWALL_CONVERTED], c[RollupCounts.PAID_FROM_FIRST],
                    c[RollupCounts.UNLOCKS], c[RollupCounts.COINS], c[RollupCounts.AD_UNLOCKS])));
        });
        return rows.isEmpty() ? Uni.createFrom().voidItem() : tx.preparedQuery(UPSERT_ROLLUP).executeBatch(rows).replaceWithVoid();
    }

    /**
     * Adds the plays' viewers to the sketches and copies each touched episode-hour/day estimate into its rollup row.
     * Before the commit: adding a viewer twice changes nothing, so a rollup that then fails loses nothing. An
     * unreachable Redis leaves the estimates as they were (logged); the raw events can fill them again.
     */
    private Uni<Void> saveUniques(SqlClient tx, List<UniqueViewers.Seen> seen) {
        if (seen.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<RollupCounts.Key, UUID> rowsSeries = new HashMap<>();
        for (UniqueViewers.Seen s : seen) {
            rowsSeries.put(new RollupCounts.Key("hour", s.at().truncatedTo(ChronoUnit.HOURS), s.episodeId()), s.seriesId());
            rowsSeries.put(new RollupCounts.Key("day", s.at().truncatedTo(ChronoUnit.DAYS), s.episodeId()), s.seriesId());
        }
        Map<RollupCounts.Key, List<String>> keys = new HashMap<>();
        rowsSeries.keySet().forEach(k -> keys.put(k, List.of(UniqueViewers.episodeKey(k.episodeId(), k.grain(), k.bucket()))));
        return uniques.add(seen).flatMap(x -> uniques.count(keys))
                .flatMap(estimates -> {
                    List<Tuple> rows = new ArrayList<>();
                    estimates.forEach((k, n) -> rows.add(Tuple.of(n, rowsSeries.get(k), k.grain(), utc(k.bucket()), k.episodeId())));
                    return tx.preparedQuery("""
                            update analytics_rollup set unique_viewers = $1
                            where series_id = $2 and grain = $3 and bucket = $4 and episode_id = $5
                            """).executeBatch(rows).replaceWithVoid();
                })
                .onFailure(e -> !(e instanceof PgException)).recoverWithUni(e -> {
                    Log.warnf("Unique viewers not updated (Redis): %s", e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}

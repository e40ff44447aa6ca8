package com.microdrama.analytics;

import com.microdrama.analytics.dto.DistributionScore;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.core.persistence.Rows;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The distribution index of every series with plays, recomputed once a day from the daily rollups of the trailing
 * {@code analytics.index-window-days} (the formula is on {@link DistributionScore} and in docs/decisions.md). Each
 * component is stored beside the score, so a producer sees why, and operators get the ranking.
 */
@ApplicationScoped
public class DistributionIndex {

    private static final String COMPUTE = """
            insert into analytics_distribution_index (series_id, day, score, reach, reach_score, completion, continuation, conversion)
            select series_id, $1::date, 100 * (0.4 * reach_score + 0.2 * completion + 0.2 * continuation + 0.2 * conversion),
                   reach, reach_score, completion, continuation, conversion
            from (select series_id, reach, least(1.0, log(1 + reach::float8) / 6) as reach_score,
                         completion, continuation, conversion
                  from (select series_id, coalesce(sum(starters) filter (where number = 1), 0) as reach,
                               coalesce(sum(completions)::float8 / nullif(sum(starters), 0), 0) as completion,
                               coalesce(sum(continued)::float8 / nullif(sum(starters), 0), 0) as continuation,
                               coalesce(sum(paywall_converted)::float8 / nullif(sum(paywall_shown), 0), 0) as conversion
                        from analytics_rollup
                        where grain = 'day' and bucket >= $2 and bucket < $3
                        group by series_id) sums) components
            on conflict (day, series_id) do update set score = excluded.score, reach = excluded.reach,
                reach_score = excluded.reach_score, completion = excluded.completion,
                continuation = excluded.continuation, conversion = excluded.conversion, computed_at = now()
            """;
    private static final String RANKED = """
            select series_id, day, score, reach, reach_score, completion, continuation, conversion,
                   rank() over (order by score desc)::int as rank
            from analytics_distribution_index where day = $1
            """;

    private final Pool pool;
    private final AnalyticsConfig config;

    DistributionIndex(Pool pool, AnalyticsConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Scheduled(cron = "${analytics.index-cron:0 30 0 * * ?}", timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void daily() {
        try {
            LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
            Blocking.await(() -> compute(yesterday));
        } catch (RuntimeException e) {
            Log.warnf(e, "Distribution index not computed");
        }
    }

    /** Computes the index of {@code day} over the window ending with it; answers how many series it scored. */
    public Uni<Integer> compute(LocalDate day) {
        LocalDate first = day.minusDays(config.indexWindowDays() - 1L);
        return pool.preparedQuery(COMPUTE).execute(Tuple.of(day, first.atStartOfDay().atOffset(ZoneOffset.UTC),
                        day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }

    /** The ranking of a day (the latest computed day when null), best first. */
    public Uni<List<DistributionScore>> ranking(LocalDate day, int limit) {
        return latestDay(day).flatMap(d -> d == null ? Uni.createFrom().item(List.<DistributionScore>of())
                : pool.preparedQuery(RANKED + " order by score desc, series_id limit $2").execute(Tuple.of(d, limit))
                        .map(rows -> Rows.stream(rows).map(DistributionIndex::score).toList()));
    }

    /** A series' latest index with its rank among that day's series, or a null item. */
    Uni<DistributionScore> latest(UUID seriesId) {
        return pool.preparedQuery("select * from (" + RANKED.replace("where day = $1", """
                        where day = (select max(day) from analytics_distribution_index where series_id = $1)
                        """) + ") ranked where series_id = $1")
                .execute(Tuple.of(seriesId))
                .map(rows -> rows.size() == 0 ? null : score(rows.iterator().next()));
    }

    private Uni<LocalDate> latestDay(LocalDate day) {
        return day != null ? Uni.createFrom().item(day)
                : pool.query("select max(day) as day from analytics_distribution_index").execute()
                        .map(rows -> rows.iterator().next().getLocalDate("day"));
    }

    private static DistributionScore score(Row r) {
        return new DistributionScore(r.getUUID("series_id"), r.getLocalDate("day"), r.getInteger("rank"),
                round(r.getDouble("score")), r.getLong("reach"), round(r.getDouble("reach_score")),
                round(r.getDouble("completion")), round(r.getDouble("continuation")), round(r.getDouble("conversion")));
    }

    private static double round(double value) {
        return Math.round(value * 10_000.0) / 10_000.0;
    }
}

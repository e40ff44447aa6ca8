package com.microdrama.analytics;

import com.microdrama.analytics.dto.DistributionScore;
import com.microdrama.analytics.dto.SeriesAnalytics;
import com.microdrama.analytics.dto.SeriesAnalytics.DayStats;
import com.microdrama.analytics.dto.SeriesAnalytics.EpisodeStats;
import com.microdrama.analytics.dto.SeriesAnalytics.Funnel;
import com.microdrama.catalogue.ProducerCatalogueService;
import com.microdrama.catalogue.dto.ProducerSeries;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.persistence.Rows;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A producer's analytics of one of their series: the per-episode table, the funnel and the daily series, from rollups. */
@ApplicationScoped
public class SeriesReports {

    public static final int MAX_DAYS = 92;

    private static final String EPISODES = """
            select episode_id, number, sum(views) as views, sum(starters) as starters, sum(completions) as completions,
                   sum(share_permille_sum) as share, sum(continued) as continued, sum(reached_from_first) as reached,
                   sum(paywall_shown) as shown, sum(paywall_converted) as converted, sum(paid_from_first) as paid_first,
                   sum(unlocks) as unlocks, sum(coins) as coins, sum(ad_unlocks) as ad_unlocks,
                   sum(dropoff[1]) as d0, sum(dropoff[2]) as d1, sum(dropoff[3]) as d2, sum(dropoff[4]) as d3,
                   sum(dropoff[5]) as d4, sum(dropoff[6]) as d5, sum(dropoff[7]) as d6, sum(dropoff[8]) as d7,
                   sum(dropoff[9]) as d8, sum(dropoff[10]) as d9
            from analytics_rollup where series_id = $1 and grain = 'day' and bucket >= $2 and bucket < $3
            group by episode_id, number order by number
            """;
    private static final String DAYS = """
            select bucket, sum(views) as views, sum(starters) as starters, sum(completions) as completions,
                   sum(unlocks) as unlocks, sum(coins) as coins, sum(ad_unlocks) as ad_unlocks
            from analytics_rollup where series_id = $1 and grain = 'day' and bucket >= $2 and bucket < $3
            group by bucket order by bucket
            """;

    /** A day range, both ends included. */
    public record Range(LocalDate from, LocalDate to) {

        /** From the query's text: {@code to} defaults to today (UTC), {@code from} to 29 days before it. */
        public static Range parse(String from, String to) {
            LocalDate end = to == null || to.isBlank() ? LocalDate.now(ZoneOffset.UTC) : date("to", to);
            LocalDate start = from == null || from.isBlank() ? end.minusDays(29) : date("from", from);
            if (start.isAfter(end)) {
                throw ApiException.badRequest("from", "must not be after to");
            }
            if (ChronoUnit.DAYS.between(start, end) >= MAX_DAYS) {
                throw ApiException.badRequest("from", "the range may span at most " + MAX_DAYS + " days");
            }
            return new Range(start, end);
        }

        private static LocalDate date(String field, String text) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(field, "must be a date such as 2026-11-25");
            }
        }

        List<LocalDate> days() {
            return from.datesUntil(to.plusDays(1)).toList();
        }
    }

    private final Pool pool;
    private final ProducerCatalogueService catalogue;
    private final UniqueViewers uniques;
    private final DistributionIndex index;

    SeriesReports(Pool pool, ProducerCatalogueService catalogue, UniqueViewers uniques, DistributionIndex index) {
        this.pool = pool;
        this.catalogue = catalogue;
        this.uniques = uniques;
        this.index = index;
    }

    public Uni<SeriesAnalytics> of(String producerId, UUID seriesId, Range range) {
        Tuple window = Tuple.of(seriesId, range.from().atStartOfDay().atOffset(ZoneOffset.UTC),
                range.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        return catalogue.get(producerId, seriesId).flatMap(series -> Uni.combine().all().unis(
                        pool.preparedQuery(EPISODES).execute(window).map(rows -> Rows.stream(rows).toList()),
                        pool.preparedQuery(DAYS).execute(window).map(rows -> Rows.stream(rows).toList()),
                        index.latest(seriesId))
                .asTuple()
                .flatMap(t -> estimates(seriesId, t.getItem1(), range).map(u -> report(series, range, t.getItem1(),
                        t.getItem2(), t.getItem3(), u))));
    }

    /** Unique viewers per episode and per day (keys "e:<id>" and "d:<date>"), or empty when Redis cannot say. */
    private Uni<Map<String, Long>> estimates(UUID seriesId, List<Row> episodes, Range range) {
        Map<String, List<String>> unions = new LinkedHashMap<>();
        for (Row r : episodes) {
            UUID episode = r.getUUID("episode_id");
            unions.put("e:" + episode, UniqueViewers.episodeRangeKeys(episode, range.from(), range.to()));
        }
        for (LocalDate d : range.days()) {
            unions.put("d:" + d, List.of(UniqueViewers.seriesDayKey(seriesId, d.atStartOfDay().toInstant(ZoneOffset.UTC))));
        }
        return uniques.count(unions).onFailure().recoverWithItem(e -> {
            Log.warnf("Unique viewers not read (Redis): %s", e.getMessage());
            return Map.of();
        });
    }

    private static SeriesAnalytics report(ProducerSeries series, Range range, List<Row> episodeRows, List<Row> dayRows,
                                          DistributionScore score, Map<String, Long> estimates) {
        List<EpisodeStats> episodes = new ArrayList<>();
        for (Row r : episodeRows) {
            long starters = r.getLong("starters");
            List<Long> dropoff = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                dropoff.add(r.getLong("d" + i));
            }
            episodes.add(new EpisodeStats(r.getUUID("episode_id"), r.getInteger("number"), r.getLong("views"),
                    estimates.get("e:" + r.getUUID("episode_id")), starters, r.getLong("completions"),
                    rate(r.getLong("completions"), starters), rate(r.getLong("share"), starters * 1000L), dropoff,
                    r.getLong("continued"), rate(r.getLong("continued"), starters), r.getLong("shown"),
                    r.getLong("converted"), rate(r.getLong("converted"), r.getLong("shown")), r.getLong("unlocks"),
                    r.getLong("coins"), r.getLong("ad_unlocks")));
        }
        List<DayStats> daily = dayRows.stream().map(r -> {
            LocalDate day = Rows.instant(r, "bucket").atOffset(ZoneOffset.UTC).toLocalDate();
            return new DayStats(day, r.getLong("views"), estimates.get("d:" + day), r.getLong("starters"),
                    r.getLong("completions"), r.getLong("unlocks"), r.getLong("coins"), r.getLong("ad_unlocks"));
        }).toList();
        return new SeriesAnalytics(series.id(), series.title(), range.from(), range.to(), episodes,
                funnel(series, episodeRows), daily, score, UniqueViewers.ERROR);
    }

    private static Funnel funnel(ProducerSeries series, List<Row> episodeRows) {
        Map<Integer, Row> byNumber = new LinkedHashMap<>();
        episodeRows.forEach(r -> byNumber.put(r.getInteger("number"), r));
        Row first = byNumber.get(1);
        long base = first == null ? 0 : first.getLong("reached");
        List<Funnel.Step> steps = byNumber.values().stream()
                .map(r -> new Funnel.Step(r.getInteger("number"), r.getLong("reached"), rate(r.getLong("reached"), base)))
                .toList();
        int firstLocked = series.freeEpisodeCount() + 1;
        Row locked = byNumber.get(firstLocked);
        long paid = locked == null ? 0 : locked.getLong("paid_first");
        return new Funnel(base, steps, firstLocked, paid, rate(paid, base));
    }

    static double rate(long part, long whole) {
        return whole == 0 ? 0 : Math.round(part * 10_000.0 / whole) / 10_000.0;
    }
}

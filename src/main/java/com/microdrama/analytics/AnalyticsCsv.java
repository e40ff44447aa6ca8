package com.microdrama.analytics;

import com.microdrama.analytics.dto.SeriesAnalytics;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** The per-episode table as CSV (RFC 4180, one header line), for spreadsheets. */
public final class AnalyticsCsv {

    private static final String HEADER = "episode_number,episode_id,views,unique_viewers,starters,completions,"
            + "completion_rate,average_share_watched,continued,continue_rate,paywall_shown,paywall_converted,"
            + "paywall_conversion,unlocks,coins,ad_unlocks,"
            + IntStream.range(0, 10).mapToObj(i -> "dropoff_" + i * 10 + "_" + (i + 1) * 10).collect(Collectors.joining(","));

    private AnalyticsCsv() {
    }

    public static String episodes(SeriesAnalytics report) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (SeriesAnalytics.EpisodeStats e : report.episodes()) {
            out.append(e.number()).append(',').append(e.episodeId()).append(',').append(e.views()).append(',')
                    .append(e.uniqueViewers() == null ? "" : e.uniqueViewers()).append(',').append(e.starters()).append(',')
                    .append(e.completions()).append(',').append(e.completionRate()).append(',')
                    .append(e.averageShareWatched()).append(',').append(e.continued()).append(',')
                    .append(e.continueRate()).append(',').append(e.paywallShown()).append(',')
                    .append(e.paywallConverted()).append(',').append(e.paywallConversion()).append(',')
                    .append(e.unlocks()).append(',').append(e.coins()).append(',').append(e.adUnlocks());
            e.dropoff().forEach(d -> out.append(',').append(d));
            out.append("\r\n");
        }
        return out.toString();
    }
}

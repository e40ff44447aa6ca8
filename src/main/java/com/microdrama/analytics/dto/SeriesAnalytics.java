package com.microdrama.analytics.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A series' analytics over whole UTC days {@code from}..{@code to}, read from the daily rollups. Rates are 0..1.
 * Cohort figures (starters, completion, share watched, drop-off, continue-to-next, the funnel) belong to the day a
 * viewer first started the episode. {@code uniqueViewers} are estimates (see {@code uniqueViewersError}); null when
 * the estimates cannot be read.
 */
public record SeriesAnalytics(UUID seriesId, String title, LocalDate from, LocalDate to, List<EpisodeStats> episodes,
                              Funnel funnel, List<DayStats> daily, @Schema(nullable = true) DistributionScore distributionIndex,
                              String uniqueViewersError) {

    /**
     * One episode: {@code dropoff[i]} counts viewers who started and stopped between i×10% and (i+1)×10% without
     * completing; {@code continueRate} is the share of starters who then started the next episode.
     */
    public record EpisodeStats(UUID episodeId, int number, long views, Long uniqueViewers, long starters,
                               long completions, double completionRate, double averageShareWatched, List<Long> dropoff,
                               long continued, double continueRate, long paywallShown, long paywallConverted,
                               double paywallConversion, long unlocks, long coins, long adUnlocks) {
    }

    /**
     * Of the viewers who started episode 1, how many reached each episode; and how many of them paid for the first
     * locked episode (the first after the series' free ones).
     */
    public record Funnel(long startedFirst, List<Step> steps, int firstLockedEpisode, long paidAtFirstLocked,
                         double paidShare) {

        public record Step(int number, long reached, double share) {
        }
    }

    public record DayStats(LocalDate day, long views, Long uniqueViewers, long starters, long completions, long unlocks,
                           long coins, long adUnlocks) {
    }
}

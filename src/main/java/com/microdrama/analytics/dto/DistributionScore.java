package com.microdrama.analytics.dto;

import java.time.LocalDate;
import java.util.UUID;

/**
 * A series' distribution index for a day and every component behind it (see docs/decisions.md#analytics):
 * {@code score = 100 × (0.4 × reachScore + 0.2 × completion + 0.2 × continuation + 0.2 × conversion)},
 * {@code reachScore = min(1, log10(1 + reach) / 6)} where reach is the viewers who started episode 1 in the window.
 */
public record DistributionScore(UUID seriesId, LocalDate day, int rank, double score, long reach, double reachScore,
                                double completion, double continuation, double conversion) {
}

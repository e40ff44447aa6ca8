package com.microdrama.analytics;

import java.time.Instant;
import java.util.UUID;

/**
 * What the rollup knows of one viewer and one episode (a row of analytics_viewer_episode), and what it adds to the
 * rollups. Once started, a viewer counts for the hour/day of their first start with how far they got; the paywall's
 * shown→unlocked conversion counts at the time it was first shown; the paid-at-first-locked count at the unlock.
 */
final class Watch {

    final String viewerId;
    final UUID episodeId;
    final UUID seriesId;
    final int number;
    Integer durationMs;
    Instant startedAt;
    int maxPositionMs;
    boolean completed;
    boolean continued;
    boolean fromFirst;
    Instant paywallShownAt;
    Instant unlockedAt;
    boolean changed;

    Watch(String viewerId, UUID episodeId, UUID seriesId, int number) {
        this.viewerId = viewerId;
        this.episodeId = episodeId;
        this.seriesId = seriesId;
        this.number = number;
    }

    /** How much of the episode the viewer saw, in thousandths (a completion is all of it). */
    int sharePermille() {
        if (completed) {
            return 1000;
        }
        if (durationMs == null || durationMs <= 0) {
            return 0;
        }
        return (int) Math.min(1000, (long) maxPositionMs * 1000 / durationMs);
    }

    /** Adds ({@code sign} 1) or takes back (-1) this watch's share of the rollups. */
    void contribute(RollupCounts counts, int sign) {
        if (startedAt != null) {
            add(counts, startedAt, RollupCounts.STARTERS, sign);
            add(counts, startedAt, RollupCounts.COMPLETIONS, completed ? sign : 0);
            add(counts, startedAt, RollupCounts.SHARE_PERMILLE, (long) sign * sharePermille());
            if (!completed) {
                add(counts, startedAt, RollupCounts.DROPOFF + Math.min(9, sharePermille() / 100), sign);
            }
            add(counts, startedAt, RollupCounts.CONTINUED, continued ? sign : 0);
            add(counts, startedAt, RollupCounts.REACHED_FROM_FIRST, fromFirst ? sign : 0);
        }
        if (paywallShownAt != null) {
            add(counts, paywallShownAt, RollupCounts.PAYWALL_SHOWN, sign);
            add(counts, paywallShownAt, RollupCounts.PAYWALL_CONVERTED, unlockedAt != null ? sign : 0);
        }
        if (unlockedAt != null && fromFirst) {
            add(counts, unlockedAt, RollupCounts.PAID_FROM_FIRST, sign);
        }
    }

    private void add(RollupCounts counts, Instant at, int column, long amount) {
        counts.add(at, episodeId, seriesId, number, column, amount);
    }
}

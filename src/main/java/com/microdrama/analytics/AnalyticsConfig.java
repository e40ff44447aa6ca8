package com.microdrama.analytics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Viewer analytics: intake limits, the raw events' partitions and retention, the rollup's schedule. */
@ConfigMapping(prefix = "analytics")
public interface AnalyticsConfig {

    /** Most events in one batch. */
    @WithDefault("100")
    int maxBatch();

    /** Events one viewer may send per rate window; past it, 429 with Retry-After until the window ends. */
    @WithDefault("600")
    int viewerEventsPerWindow();

    @WithDefault("60s")
    Duration rateWindow();

    /** How far in the past a client's event may lie (a phone sending what it buffered offline). */
    @WithDefault("48h")
    Duration maxLateness();

    /** How far a client's clock may run ahead of the server's. */
    @WithDefault("5m")
    Duration maxClockAhead();

    /** Raw events are kept this many days (their day partitions are dropped after). */
    @WithDefault("90")
    int retentionDays();

    /** Day partitions created ahead of today. */
    @WithDefault("7")
    int partitionsAhead();

    /**
     * How often the server's own playback-start events are written, all viewers' in one statement (scheduler
     * syntax): a play is one append to memory, not an INSERT and a commit each.
     */
    @WithDefault("1s")
    String serverFactsEvery();

    /** Playback-start events waiting for their write beyond this many are dropped (PostgreSQL away), and logged. */
    @WithDefault("200000")
    int serverFactsBuffer();

    /** How often new events are folded into the rollups (scheduler syntax; "off" to disable). */
    @WithDefault("1m")
    String rollupEvery();

    /**
     * Events received less than this long ago wait for the next rollup: an intake transaction that began before
     * the rollup's snapshot may commit after it, with an earlier received_at. Intake is one short statement.
     */
    @WithDefault("10s")
    Duration rollupSettle();

    /** Most arrival time folded by one rollup transaction (bounds its memory after a backlog). */
    @WithDefault("5m")
    Duration rollupMaxSpan();

    /** Most events folded by one rollup transaction (bounds its memory after a backlog; the next run goes on). */
    @WithDefault("50000")
    int rollupMaxEvents();

    /** When the distribution index is recomputed (cron, UTC; "off" to disable). */
    @WithDefault("0 30 0 * * ?")
    String indexCron();

    /** Days of rollups the distribution index looks back over, the computed day included. */
    @WithDefault("7")
    int indexWindowDays();
}

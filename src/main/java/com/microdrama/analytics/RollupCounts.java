package com.microdrama.analytics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Changes to the rollup rows, per (grain, bucket, episode): every column of analytics_rollup except unique viewers
 * is a count, so a change of what we know is a difference that is simply added. Each change goes to the hour and
 * to the UTC day of its time.
 */
final class RollupCounts {

    static final int VIEWS = 0;
    static final int STARTERS = 1;
    static final int COMPLETIONS = 2;
    static final int SHARE_PERMILLE = 3;
    static final int DROPOFF = 4; // ten buckets: 4..13
    static final int CONTINUED = 14;
    static final int REACHED_FROM_FIRST = 15;
    static final int PAYWALL_SHOWN = 16;
    static final int PAYWALL_CONVERTED = 17;
    static final int PAID_FROM_FIRST = 18;
    static final int UNLOCKS = 19;
    static final int COINS = 20;
    static final int AD_UNLOCKS = 21;
    static final int SIZE = 22;

    record Key(String grain, Instant bucket, UUID episodeId) {
    }

    /** Where an episode sits, for the rows this adds. */
    record Place(UUID seriesId, int number) {
    }

    private final Map<Key, long[]> counts = new LinkedHashMap<>();
    private final Map<UUID, Place> places = new LinkedHashMap<>();

    void add(Instant at, UUID episodeId, UUID seriesId, int number, int column, long amount) {
        if (amount == 0) {
            return;
        }
        places.putIfAbsent(episodeId, new Place(seriesId, number));
        counts.computeIfAbsent(new Key("hour", at.truncatedTo(ChronoUnit.HOURS), episodeId), k -> new long[SIZE])[column] += amount;
        counts.computeIfAbsent(new Key("day", at.truncatedTo(ChronoUnit.DAYS), episodeId), k -> new long[SIZE])[column] += amount;
    }

    /** The rows that changed (all-zero differences are dropped). */
    Map<Key, long[]> changed() {
        Map<Key, long[]> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> {
            for (long x : v) {
                if (x != 0) {
                    out.put(k, v);
                    return;
                }
            }
        });
        return out;
    }

    Place place(UUID episodeId) {
        return places.get(episodeId);
    }
}

package com.microdrama.paywall;

import java.util.UUID;

/**
 * What a viewer may do with one viewer-visible episode, read in one query: why it is (or is not) theirs, its price,
 * and what playback needs.
 */
public record Entitlement(UUID episodeId, UUID seriesId, int number, UUID versionId, Integer durationMs, long price,
                          boolean free, boolean vip, boolean unlocked, Balance balance, boolean autoUnlock) {

    public boolean canWatch() {
        return free || vip || unlocked;
    }

    public String reason() {
        return free ? "free" : vip ? "vip" : unlocked ? "unlocked" : "locked";
    }
}

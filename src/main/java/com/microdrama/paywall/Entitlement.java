package com.microdrama.paywall;

import java.util.UUID;

/**
 * What a viewer may do with one viewer-visible episode: why it is (or is not) theirs, its price, and what playback
 * needs.
 */
public record Entitlement(UUID episodeId, UUID seriesId, int number, UUID versionId, Integer durationMs, long price,
                          boolean free, boolean vip, boolean unlocked, Balance balance, boolean autoUnlock) {

    static Entitlement of(PricedEpisode e, WalletStore.Standing s) {
        return new Entitlement(e.id(), e.seriesId(), e.number(), e.versionId(), e.durationMs(), e.price(), e.free(),
                s.vip(), s.unlocked(), s.balance(), s.autoUnlock());
    }

    public boolean canWatch() {
        return free || vip || unlocked;
    }

    public String reason() {
        return free ? "free" : vip ? "vip" : unlocked ? "unlocked" : "locked";
    }
}

package com.microdrama.paywall;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

@ConfigMapping(prefix = "paywall")
public interface PaywallConfig {

    /** Coin packs sold in the stores, by product id: what one verified purchase credits. */
    Map<String, Pack> packs();

    /** Discount on "unlock the next N episodes", in percent of their summed prices. */
    @io.smallrye.config.WithDefault("10")
    int batchDiscountPercent();

    /** Shared secret the ad network signs its server-side reward callbacks with (HMAC-SHA256). */
    String adCallbackSecret();

    /** Rewarded-ad unlocks a viewer may earn per UTC day. */
    @io.smallrye.config.WithDefault("5")
    int adDailyCap();

    /** How old a callback may be before it is refused as stale. */
    @io.smallrye.config.WithDefault("5m")
    java.time.Duration adCallbackMaxAge();

    /** How often the ledger is reconciled for the gauges (read by the scheduler, declared here so it can be set). */
    @io.smallrye.config.WithDefault("10m")
    String reconcileEvery();

    /** How often cache entries that missed a write while Redis was away are dropped (EntitlementRepair). */
    @io.smallrye.config.WithDefault("2s")
    String cacheRepairEvery();

    interface Pack {
        long paid();

        long bonus();
    }
}

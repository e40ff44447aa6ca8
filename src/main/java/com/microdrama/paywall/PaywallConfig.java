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

    interface Pack {
        long paid();

        long bonus();
    }
}

package com.microdrama.paywall;

import io.smallrye.config.ConfigMapping;
import java.util.Map;

@ConfigMapping(prefix = "paywall")
public interface PaywallConfig {

    /** Coin packs sold in the stores, by product id: what one verified purchase credits. */
    Map<String, Pack> packs();

    interface Pack {
        long paid();

        long bonus();
    }
}

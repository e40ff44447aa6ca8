package com.microdrama.paywall;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Money moves as metrics: unlocks by how they were paid, and coins spent by wallet (paid or bonus). */
@ApplicationScoped
public class PaywallMetrics {

    private final MeterRegistry registry;

    PaywallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts fresh unlocks only: replays of an idempotency key and already-unlocked episodes are not unlocks. */
    void unlocked(String kind, int episodes, long paidCoins, long bonusCoins) {
        registry.counter("unlocks", "kind", kind).increment(episodes);
        if (paidCoins > 0) {
            registry.counter("coins.spent", "wallet", "paid").increment(paidCoins);
        }
        if (bonusCoins > 0) {
            registry.counter("coins.spent", "wallet", "bonus").increment(bonusCoins);
        }
    }
}

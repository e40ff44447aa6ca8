package com.microdrama.analytics;

import com.microdrama.core.error.ApiException;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Events per viewer per fixed window, counted in Redis so that every API process shares the count. Past the
 * budget the batch is refused with 429 and {@code Retry-After} (seconds to the window's end). If Redis does not
 * answer the batch goes through: a cache outage must not lose viewers' events, and PostgreSQL still takes them.
 */
@ApplicationScoped
class ViewerRateLimit {

    private static final Duration TIMEOUT = Duration.ofMillis(150);

    private final ReactiveValueCommands<String, Long> counters;
    private final ReactiveRedisDataSource redis;
    private final AnalyticsConfig config;

    ViewerRateLimit(ReactiveRedisDataSource redis, AnalyticsConfig config) {
        this.redis = redis;
        this.counters = redis.value(String.class, Long.class);
        this.config = config;
    }

    Uni<Void> take(String viewerId, int events) {
        long windowMs = config.rateWindow().toMillis();
        long now = System.currentTimeMillis();
        long window = now / windowMs;
        String key = "analytics:rate:" + viewerId + ":" + window;
        return counters.incrby(key, events)
                .call(count -> count == events ? redis.key(String.class).pexpire(key, windowMs * 2) : Uni.createFrom().nullItem())
                .ifNoItem().after(TIMEOUT).fail()
                .onFailure().recoverWithItem(e -> {
                    Log.debugf("Event rate of %s not counted: %s", viewerId, e.getMessage());
                    return 0L;
                })
                .map(count -> {
                    if (count > config.viewerEventsPerWindow()) {
                        long retryAfter = Math.max(1, ((window + 1) * windowMs - now + 999) / 1000);
                        throw new ApiException(429, "Too many events", "at most " + config.viewerEventsPerWindow()
                                + " events per " + config.rateWindow().toSeconds() + " s per viewer; retry in "
                                + retryAfter + " s").retryAfter(java.time.Duration.ofSeconds(retryAfter));
                    }
                    return null;
                });
    }
}

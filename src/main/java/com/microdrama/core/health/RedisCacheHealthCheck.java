package com.microdrama.core.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Redis is a cache: without it the API answers from PostgreSQL, slower but right. So readiness reports Redis but
 * never fails on it — taking every pod out of the load balancer because a cache is away would turn a latency
 * problem into an outage. The built-in Redis check (which fails readiness) is switched off for that reason.
 */
@Readiness
@ApplicationScoped
public class RedisCacheHealthCheck implements AsyncHealthCheck {

    private final ReactiveRedisDataSource redis;

    RedisCacheHealthCheck(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING").ifNoItem().after(Duration.ofSeconds(1)).fail()
                .map(pong -> "up")
                .onFailure().recoverWithItem(e -> "down: serving from PostgreSQL (" + e.getMessage() + ")")
                .map(state -> HealthCheckResponse.named("Redis cache").up().withData("redis", state).build());
    }
}

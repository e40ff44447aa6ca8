package com.microdrama.paywall;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Metrics;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The entitlement bitmap in the real Redis: filled on a miss, written through after an unlock. */
@QuarkusTest
class EntitlementCacheTest {

    @Inject
    AgroalDataSource db;
    @Inject
    RedisDataSource redis;

    @Test
    void a_miss_fills_the_bitmap_from_postgresql_and_an_unlock_is_written_through() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries playable = Api.playableSeries(db, producer, "cache", 0, 10, 3);
        String series = playable.id();
        List<String> eps = playable.episodes();
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        String key = EntitlementCache.unlockKey(viewerId, UUID.fromString(series));

        // An unlock written straight into PostgreSQL (as after a Redis outage): the first read must see it.
        unlockInPostgresqlOnly(viewerId, eps.get(1));
        assertThat(redis.key().exists(key)).isFalse();
        as(viewer).get("/api/v1/series/" + series + "/episodes").then().statusCode(200)
                .body("lock", equalTo(List.of("locked", "unlocked", "locked")));
        assertThat(redis.bitmap(String.class).getbit(key, 0)).as("filled marker").isEqualTo(1);
        assertThat(redis.bitmap(String.class).getbit(key, 2)).isEqualTo(1);
        assertThat(redis.key().ttl(key)).isPositive();

        Api.as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(Map.of("viewerId", viewerId, "purchaseId", unique("p"), "pack", "coins-100"))
                .post("/api/v1/payments/topups").then().statusCode(200);
        as(viewer).header("Idempotency-Key", "c1").post("/api/v1/episodes/" + eps.get(2) + "/unlock").then().statusCode(200);
        assertThat(redis.bitmap(String.class).getbit(key, 3)).as("written through after commit").isEqualTo(1);
        as(viewer).get("/api/v1/series/" + series + "/episodes").then()
                .body("lock", equalTo(List.of("locked", "unlocked", "unlocked")));
    }

    @Test
    void playback_start_reads_unlocks_and_vip_from_redis_and_confirms_a_no_in_postgresql() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries playable = Api.playableSeries(db, producer, "play-cache", 1, 10, 3);
        String series = playable.id();
        List<String> eps = playable.episodes();
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        String key = EntitlementCache.unlockKey(viewerId, UUID.fromString(series));
        unlockInPostgresqlOnly(viewerId, eps.get(1));

        as(viewer).get("/api/v1/episodes/" + eps.get(0) + "/playback").then().statusCode(200).body("access", equalTo("free"));
        assertThat(redis.key().exists(key)).as("a free episode needs no entitlement lookup").isFalse();
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(200).body("access", equalTo("unlocked"));
        assertThat(redis.bitmap(String.class).getbit(key, 2)).as("filled by the playback lookup").isEqualTo(1);

        double hits = Metrics.value("entitlement_cache_total{result=\"hit\"}");
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(200).body("access", equalTo("unlocked"));
        assertThat(Metrics.value("entitlement_cache_total{result=\"hit\"}") - hits).as("answered from Redis").isPositive();

        // Redis has no unlock of episode 3: PostgreSQL confirms, and the 402 carries the balance it read.
        as(viewer).get("/api/v1/episodes/" + eps.get(2) + "/playback").then().statusCode(402)
                .body("price", equalTo(10)).body("balance", equalTo(0));
        Api.as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(Map.of("viewerId", viewerId, "grantId", unique("vip"), "until", java.time.Instant.now().plusSeconds(86_400).toString()))
                .post("/api/v1/payments/vip").then().statusCode(200);
        as(viewer).get("/api/v1/episodes/" + eps.get(2) + "/playback").then().statusCode(200).body("access", equalTo("vip"));
    }

    private void unlockInPostgresqlOnly(String viewerId, String episode) {
        Api.sql(db, "insert into wallet (viewer_id) values (?)", viewerId);
        Api.sql(db, "insert into unlock (viewer_id, episode_id, series_id, episode_number, method) "
                + "select ?, id, series_id, number, 'grant' from episode where id = ?", viewerId, UUID.fromString(episode));
    }
}

package com.microdrama.paywall;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.FaultProxies;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.client.RedisClientName;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The window between Redis coming back and the repair of what its outage missed. What the fault benchmark found: after
 * the heal, an episode list read the viewer's cached bitmap, which lacked an unlock acknowledged during the cut, and
 * said "locked" until the repair dropped the key (seconds under load). Here the scheduled repair is off, so the window
 * stays open for as long as the test needs: the list must come from PostgreSQL (right) while the stale bitmap is still
 * in Redis, and from Redis again once a repair round has left nothing to repair.
 */
@QuarkusTest
@TestProfile(RedisHealTest.RepairByHand.class)
@WithTestResource(FaultProxies.RedisResource.class)
class RedisHealTest {

    /** Longer than the cache's back-off after a failure (5 s): the cache would read Redis again by then. */
    private static final Duration PAST_THE_BACK_OFF = Duration.ofMillis(5_500);

    public static class RepairByHand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.flyway.clean-at-start", "false", "transcode.worker.enabled", "false",
                    "paywall.cache-repair-every", "off");
        }
    }


    @Inject
    AgroalDataSource db;
    @Inject
    EntitlementCache cache;
    @Inject
    EntitlementRepair repair;
    @Inject
    @RedisClientName("direct")
    RedisDataSource direct;

    @Test
    void after_the_heal_a_stale_bitmap_is_not_read_until_the_repair_dropped_it() throws Exception {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries series = Api.playableSeries(db, producer, "heal", 1, 10, 3);
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(Map.of("viewerId", viewerId, "purchaseId", unique("p"), "pack", "coins-100"))
                .post("/api/v1/payments/topups").then().statusCode(200);
        expectLocks(viewer, series.id(), "free", "locked", "locked");
        assertThat(cachedBits(viewerId, series.id())).as("the list filled the cache").isEqualTo("100");

        FaultProxies.redis.cut();
        as(viewer).header("Idempotency-Key", unique("k"))
                .post("/api/v1/episodes/" + series.episodes().get(1) + "/unlock").then().statusCode(200);
        FaultProxies.redis.restore();
        Thread.sleep(PAST_THE_BACK_OFF.toMillis());

        assertThat(cachedBits(viewerId, series.id())).as("Redis still holds the bitmap the cut left stale")
                .isEqualTo("100");
        assertThat(cache.distrusted()).as("the cache is not read before the repair").isTrue();
        for (int i = 0; i < 5; i++) {
            expectLocks(viewer, series.id(), "free", "unlocked", "locked");
        }

        // This test's key and any other test's left in the shared database.
        assertThat(repair.repair().await().atMost(Duration.ofSeconds(10))).as("keys dropped").isGreaterThanOrEqualTo(1);
        assertThat(cache.distrusted()).as("nothing left to repair: the cache is read again").isFalse();
        expectLocks(viewer, series.id(), "free", "unlocked", "locked");
        assertThat(cachedBits(viewerId, series.id())).as("refilled from PostgreSQL, read from Redis")
                .isEqualTo("101");
        expectLocks(viewer, series.id(), "free", "unlocked", "locked");
    }

    private static void expectLocks(String viewer, String seriesId, String... locks) {
        List<String> seen = as(viewer).get("/api/v1/series/" + seriesId + "/episodes").then().statusCode(200)
                .extract().jsonPath().getList("lock");
        assertThat(seen).isEqualTo(List.of(locks));
    }

    /** Bits 0–2 of the cached bitmap ("" when not cached), read straight from Redis. */
    private String cachedBits(String viewerId, String seriesId) {
        return FaultProxies.cachedBits(direct, EntitlementCache.unlockKey(viewerId, UUID.fromString(seriesId)), 3);
    }
}

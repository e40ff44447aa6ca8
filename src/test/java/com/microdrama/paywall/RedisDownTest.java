package com.microdrama.paywall;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.unique;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis pointed at a port where nothing listens: answers come from PostgreSQL, still right, never a 5xx. */
@QuarkusTest
@TestProfile(RedisDownTest.NoRedis.class)
class RedisDownTest {

    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "quarkus.flyway.clean-at-start", "false");
        }
    }

    @Inject
    AgroalDataSource db;

    @Test
    void episode_lists_unlocks_and_playback_stay_correct_without_redis() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries playable = Api.playableSeries(db, producer, "noredis", 1, 10, 3);
        String series = playable.id();
        List<String> eps = playable.episodes();
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);

        as(viewer).get("/api/v1/series/" + series + "/episodes").then().statusCode(200)
                .body("lock", equalTo(List.of("free", "locked", "locked")));
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(402);
        as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(Map.of("viewerId", viewerId, "purchaseId", unique("p"), "pack", "coins-100"))
                .post("/api/v1/payments/topups").then().statusCode(200);
        as(viewer).header("Idempotency-Key", "r1").post("/api/v1/episodes/" + eps.get(1) + "/unlock").then()
                .statusCode(200).body("outcome", equalTo("UNLOCKED"));
        as(viewer).get("/api/v1/series/" + series + "/episodes").then().statusCode(200)
                .body("lock", equalTo(List.of("free", "unlocked", "locked")));
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(200);
        // Many viewers at once on the PostgreSQL fallback: more than the connection pool, and none may hang.
        java.util.concurrent.ExecutorService crowd = java.util.concurrent.Executors.newFixedThreadPool(40);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(crowd.submit(() -> as(viewer).get("/api/v1/series/" + series + "/episodes").statusCode()));
            }
            for (var answer : answers) {
                org.assertj.core.api.Assertions.assertThat(answer.get(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(200);
            }
        } catch (Exception e) {
            throw new AssertionError("the fallback did not answer 40 concurrent lists", e);
        } finally {
            crowd.shutdownNow();
        }
        // A cache outage is not an outage: readiness stays up and says what is going on.
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Redis cache' }.data.redis", org.hamcrest.Matchers.startsWith("down"));
    }
}

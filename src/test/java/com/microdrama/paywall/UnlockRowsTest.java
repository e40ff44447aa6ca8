package com.microdrama.paywall;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The paywall sells only what the catalogue shows, and its unlock rows carry their episode's series and number. */
@QuarkusTest
class UnlockRowsTest {

    @Inject
    AgroalDataSource db;
    @Inject
    RedisDataSource redis;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String viewerId = Tokens.newSubject(Roles.VIEWER);
    private final String viewer = Tokens.of(Roles.VIEWER, viewerId);

    @Test
    void an_unpublished_episode_an_episode_without_a_version_and_a_draft_series_are_not_for_sale() {
        Api.PlayableSeries playable = fundedSeries("hidden", 1, 4);
        String series = playable.id();
        List<String> eps = playable.episodes();
        as(producer).post("/api/v1/producer/series/" + series + "/episodes/3/unpublish").then().statusCode(200);
        String unready = as(producer).body(Map.of("number", 5)).post("/api/v1/producer/series/" + series + "/episodes")
                .then().statusCode(201).extract().path("id");
        as(producer).post("/api/v1/producer/series/" + series + "/episodes/5/publish").then().statusCode(200);

        for (String hidden : List.of(eps.get(2), unready)) {
            as(viewer).header("Idempotency-Key", unique("k")).post("/api/v1/episodes/" + hidden + "/unlock").then()
                    .statusCode(404).contentType("application/problem+json");
            as(viewer).get("/api/v1/episodes/" + hidden + "/playback").then().statusCode(404);
        }
        as(viewer).header("Idempotency-Key", "next").body(Map.of("count", 5))
                .post("/api/v1/series/" + series + "/unlock-next").then().statusCode(200)
                .body("numbers", equalTo(List.of(2, 4))).body("fullPrice", equalTo(20));

        as(producer).post("/api/v1/producer/series/" + series + "/unpublish").then().statusCode(200);
        as(viewer).header("Idempotency-Key", unique("k")).post("/api/v1/episodes/" + eps.get(1) + "/unlock").then()
                .statusCode(404);
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(404);
        as(viewer).header("Idempotency-Key", unique("k")).body(Map.of("count", 1))
                .post("/api/v1/series/" + series + "/unlock-next").then().statusCode(409);
    }

    @Test
    void coin_and_batch_unlocks_record_series_and_number_and_their_ledger_rows() {
        Api.PlayableSeries playable = fundedSeries("rows", 0, 4);
        as(viewer).header("Idempotency-Key", "one").post("/api/v1/episodes/" + playable.episodes().get(1) + "/unlock")
                .then().statusCode(200);
        as(viewer).header("Idempotency-Key", "two").body(Map.of("count", 2))
                .post("/api/v1/series/" + playable.id() + "/unlock-next").then().statusCode(200)
                .body("numbers", equalTo(List.of(1, 3)));

        List<Map<String, Object>> rows = Db.rows(db, """
                select u.method, u.episode_number, u.series_id = e.series_id and u.episode_number = e.number as same,
                       l.reason, l.episode_id = u.episode_id as ledger_names_episode
                from unlock u join episode e on e.id = u.episode_id join ledger l on l.id = u.ledger_id
                where u.viewer_id = ? order by u.episode_number
                """, viewerId);
        assertThat(rows).extracting(r -> r.get("episode_number")).containsExactly(1, 2, 3);
        assertThat(rows).extracting(r -> r.get("same")).containsOnly(true);
        assertThat(rows).extracting(r -> r.get("method")).containsExactly("batch", "coins", "batch");
        assertThat(rows).extracting(r -> r.get("reason")).containsExactly("batch_unlock", "unlock", "batch_unlock");
        assertThat(rows).extracting(r -> r.get("ledger_names_episode")).containsExactly(null, true, null);
        // With the cached bitmap gone, the list is answered from the unlock rows alone.
        redis.key().del(EntitlementCache.unlockKey(viewerId, UUID.fromString(playable.id())));
        as(viewer).get("/api/v1/series/" + playable.id() + "/episodes").then()
                .body("lock", equalTo(List.of("unlocked", "unlocked", "unlocked", "locked")));
    }

    /** A published series of playable episodes, and a viewer with 110 coins. */
    private Api.PlayableSeries fundedSeries(String prefix, int freeEpisodes, int episodes) {
        Api.PlayableSeries playable = Api.playableSeries(db, producer, prefix, freeEpisodes, 10, episodes);
        as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(Map.of("viewerId", viewerId, "purchaseId", unique("p"), "pack", "coins-100"))
                .post("/api/v1/payments/topups").then().statusCode(200);
        return playable;
    }
}

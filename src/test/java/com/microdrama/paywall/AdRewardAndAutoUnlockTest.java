package com.microdrama.paywall;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createPlayableEpisode;
import static com.microdrama.support.Api.createPublishedSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdRewardAndAutoUnlockTest {

    @Inject
    AgroalDataSource db;
    @Inject
    AdRewardService ads;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String viewerId = Tokens.newSubject(Roles.VIEWER);
    private final String viewer = Tokens.of(Roles.VIEWER, viewerId);

    private String series(int episodes, List<String> ids) {
        Map<String, Object> body = seriesBody(unique("ads"));
        body.put("freeEpisodeCount", 0);
        body.put("coinPrice", 40);
        String series = createPublishedSeries(producer, body);
        for (int n = 1; n <= episodes; n++) {
            ids.add(createPlayableEpisode(db, producer, series, n));
        }
        return series;
    }

    private Response callback(String episode, String transaction, long timestamp, String signature) {
        return given().contentType("application/json").header("X-Ad-Signature", signature)
                .body(Map.of("viewerId", viewerId, "episodeId", episode, "transactionId", transaction, "timestamp", timestamp))
                .post("/api/v1/ads/callback");
    }

    private Response signedCallback(String episode, String transaction) {
        long now = Instant.now().getEpochSecond();
        String signature = ads.sign(new AdRewardService.Reward(viewerId, UUID.fromString(episode), transaction, now));
        return callback(episode, transaction, now, signature);
    }

    @Test
    void a_signed_fresh_callback_unlocks_one_episode_and_forgeries_replays_and_excess_are_refused() {
        List<String> eps = new ArrayList<>();
        String series = series(7, eps);
        long now = Instant.now().getEpochSecond();

        callback(eps.get(0), "tx-forged", now, "00".repeat(32)).then().statusCode(403)
                .contentType("application/problem+json");
        String stale = ads.sign(new AdRewardService.Reward(viewerId, UUID.fromString(eps.get(0)), "tx-old", now - 3600));
        callback(eps.get(0), "tx-old", now - 3600, stale).then().statusCode(403).body("detail", containsString("stale"));

        String tx = unique("tx");
        signedCallback(eps.get(0), tx).then().statusCode(204);
        as(viewer).get("/api/v1/series/" + series + "/episodes").then().body("[0].lock", equalTo("unlocked"));
        signedCallback(eps.get(0), tx).then().statusCode(409);
        signedCallback(UUID.randomUUID().toString(), unique("tx")).then().statusCode(404);

        for (int i = 1; i < 5; i++) {
            signedCallback(eps.get(i), unique("tx")).then().statusCode(204);
        }
        signedCallback(eps.get(5), unique("tx")).then().statusCode(429).contentType("application/problem+json");
        as(viewer).get("/api/v1/series/" + series + "/episodes").then()
                .body("lock", equalTo(List.of("unlocked", "unlocked", "unlocked", "unlocked", "unlocked", "locked", "locked")));
    }

    @Test
    void an_ad_unlock_records_series_and_number_and_writes_no_ledger_row() {
        List<String> eps = new ArrayList<>();
        String series = series(2, eps);
        signedCallback(eps.get(1), unique("tx")).then().statusCode(204);
        assertThat(Db.row(db, "select method, series_id, episode_number, ledger_id from unlock where viewer_id = ?", viewerId))
                .containsEntry("method", "ad").containsEntry("series_id", UUID.fromString(series))
                .containsEntry("episode_number", 2).containsEntry("ledger_id", null);
        assertThat(Db.rows(db, "select id from ledger where viewer_id = ?", viewerId)).isEmpty();
    }

    @Test
    void auto_unlock_charges_once_when_playing_the_next_locked_episode() {
        List<String> eps = new ArrayList<>();
        series(2, eps);
        as(Tokens.of(Roles.PAYMENT_SERVICE, "store"))
                .body(Map.of("viewerId", viewerId, "purchaseId", unique("p"), "pack", "coins-100"))
                .post("/api/v1/payments/topups").then().statusCode(200);
        as(viewer).get("/api/v1/episodes/" + eps.get(0) + "/playback").then().statusCode(402);

        as(viewer).body(Map.of("autoUnlock", true)).put("/api/v1/me/settings").then().statusCode(200)
                .body("autoUnlock", equalTo(true));
        as(viewer).get("/api/v1/episodes/" + eps.get(0) + "/playback").then().statusCode(200).body("access", equalTo("unlocked"));
        as(viewer).get("/api/v1/episodes/" + eps.get(0) + "/playback").then().statusCode(200);
        as(viewer).get("/api/v1/me/wallet").then().body("total", equalTo(60));
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(200);
        as(viewer).get("/api/v1/me/wallet").then().body("total", equalTo(20));

        List<String> more = new ArrayList<>();
        series(1, more);
        as(viewer).get("/api/v1/episodes/" + more.get(0) + "/playback").then().statusCode(402)
                .body("balance", equalTo(20)).body("price", equalTo(40));
    }
}

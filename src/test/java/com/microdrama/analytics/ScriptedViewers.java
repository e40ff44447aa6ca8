package com.microdrama.analytics;

import static com.microdrama.analytics.Viewing.event;
import static com.microdrama.analytics.Viewing.post;
import static com.microdrama.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.paywall.AdRewardService;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Five scripted viewers in a fresh 4-episode series (2 free, 30 coins, 90 s episodes) of a fresh producer, through
 * the real API: plays, player events, a coin unlock and an ad unlock. The counts they must give are in
 * ScriptedViewersTest.
 */
final class ScriptedViewers {

    final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    final String[] ids = new String[6];
    final String[] tokens = new String[6];
    final Api.PlayableSeries series;
    /** Viewer 1's first batch and unlock key, to send again. */
    List<Map<String, Object>> firstViewersBatch;
    String firstViewersUnlockKey;

    private final AgroalDataSource db;
    private final AdRewardService ads;

    ScriptedViewers(AgroalDataSource db, AdRewardService ads) {
        this.db = db;
        this.ads = ads;
        for (int v = 1; v <= 5; v++) {
            ids[v] = Tokens.newSubject(Roles.VIEWER);
            tokens[v] = Tokens.of(Roles.VIEWER, ids[v]);
        }
        series = Api.playableSeries(db, producer, "scripted", 2, 30, 4);
    }

    String ep(int number) {
        return series.episodes().get(number - 1);
    }

    void play(int viewer, int episode) {
        as(tokens[viewer]).get("/api/v1/episodes/" + ep(episode) + "/playback").then().statusCode(200);
    }

    void send(int viewer, List<Map<String, Object>> events) {
        post(tokens[viewer], events).then().statusCode(202);
    }

    private static Map<String, Object> now(String type, String episode, Double seconds) {
        return event(UUID.randomUUID().toString(), type, episode, Instant.now(), seconds);
    }

    /** Runs the script and waits until the server's own facts of it are stored. */
    void watch() {
        // Viewer 1: episode 1 and 2 to the end, the paywall at 3, buys it with coins, leaves 3 at 27 s (30%).
        play(1, 1);
        firstViewersBatch = List.of(now("progress", ep(1), 45.0), now("complete", ep(1), null));
        send(1, firstViewersBatch);
        play(1, 2);
        send(1, List.of(now("complete", ep(2), null), now("paywall_shown", ep(3), null)));
        Viewing.topUp100(ids[1]);
        firstViewersUnlockKey = UUID.randomUUID().toString();
        as(tokens[1]).header("Idempotency-Key", firstViewersUnlockKey).post("/api/v1/episodes/" + ep(3) + "/unlock")
                .then().statusCode(200).body("outcome", equalTo("UNLOCKED"));
        play(1, 3);
        send(1, List.of(now("leave", ep(3), 27.0)));
        // Viewer 2: leaves episode 1 at 9.5 s (10.5%).
        play(2, 1);
        send(2, List.of(now("play_start", ep(1), 0.0), now("leave", ep(1), 9.5)));
        // Viewer 3: episode 1 to the end, leaves 2 at 81 s (90%), sees the paywall at 3 and does not pay.
        play(3, 1);
        send(3, List.of(now("complete", ep(1), null)));
        play(3, 2);
        send(3, List.of(now("leave", ep(2), 81.0), now("paywall_shown", ep(3), null)));
        // Viewer 4: starts episode 1 twice and never gets past 0 s.
        play(4, 1);
        play(4, 1);
        send(4, List.of(now("progress", ep(1), 0.0)));
        // Viewer 5: comes in at episode 2 (not from episode 1), finishes it, unlocks 3 with a rewarded ad.
        play(5, 2);
        send(5, List.of(now("complete", ep(2), null)));
        long at = Instant.now().getEpochSecond();
        String tx = Api.unique("tx");
        given().contentType("application/json")
                .header("X-Ad-Signature", ads.sign(new AdRewardService.Reward(ids[5], UUID.fromString(ep(3)), tx, at)))
                .body(Map.of("viewerId", ids[5], "episodeId", ep(3), "transactionId", tx, "timestamp", at))
                .post("/api/v1/ads/callback").then().statusCode(204);

        // Server facts per viewer: v1 3 plays and an unlock, v2 1 play, v3 2, v4 2, v5 1 play and an ad unlock.
        int[] facts = {0, 4, 1, 2, 2, 2};
        for (int v = 1; v <= 5; v++) {
            Viewing.awaitServerEvents(db, ids[v], facts[v]);
        }
    }

    /** The producer's analytics from yesterday to tomorrow (so a run across midnight still sees everything). */
    JsonPath analytics() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return as(producer).queryParam("from", today.minusDays(1).toString()).queryParam("to", today.plusDays(1).toString())
                .get("/api/v1/producer/series/" + series.id() + "/analytics")
                .then().statusCode(200).contentType("application/json").extract().jsonPath();
    }
}

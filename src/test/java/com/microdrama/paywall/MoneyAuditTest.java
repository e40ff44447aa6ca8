package com.microdrama.paywall;

import static com.microdrama.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The holes a review of the paywall found, each pinned under the concurrency that exposed it, and the
 * reconciliation that proves afterwards that every coin is accounted for.
 */
@QuarkusTest
class MoneyAuditTest {

    @Inject
    AgroalDataSource db;
    @Inject
    AdRewardService ads;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String payments = Tokens.of(Roles.PAYMENT_SERVICE, "store");
    private final String operatorId = Tokens.newSubject(Roles.OPERATOR);
    private final String operator = Tokens.of(Roles.OPERATOR, operatorId);

    @Test
    void twenty_ad_callbacks_at_once_for_one_viewer_reward_exactly_the_daily_cap() throws Exception {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "adrace", 0, 40, 20);
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        long now = Instant.now().getEpochSecond();
        List<Callable<Integer>> callbacks = new ArrayList<>();
        for (String episode : series.episodes()) {
            String transaction = "race-" + UUID.randomUUID();
            String signature = ads.sign(new AdRewardService.Reward(viewerId, UUID.fromString(episode), transaction, now));
            callbacks.add(() -> callback(viewerId, episode, transaction, now, signature).statusCode());
        }
        List<Integer> statuses = Money.concurrently(callbacks);

        assertThat(statuses.stream().filter(s -> s == 204).count()).as("statuses %s", statuses).isEqualTo(5);
        assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(15);
        assertThat(count("select count(*) as n from ad_reward where viewer_id = ?", viewerId)).isEqualTo(5);
        assertThat(count("select count(*) as n from unlock where viewer_id = ? and method = 'ad'", viewerId)).isEqualTo(5);
    }

    @Test
    void a_callback_whose_fields_hold_the_signing_separator_is_refused_even_when_signed() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "adsep", 0, 40, 2);
        long now = Instant.now().getEpochSecond();
        // Signed for viewer "v|<episode 1>|x" and episode 2, the string re-splits into viewer "v" and episode 1.
        String crafted = "v|" + series.episodes().get(0) + "|x";
        String signature = ads.sign(new AdRewardService.Reward(crafted, UUID.fromString(series.episodes().get(1)), "t1", now));
        callback(crafted, series.episodes().get(1), "t1", now, signature).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("viewerId"));
        String resplit = ads.sign(new AdRewardService.Reward("v", UUID.fromString(series.episodes().get(0)),
                "x|" + series.episodes().get(1) + "|t1", now));
        callback("v", series.episodes().get(0), "x|" + series.episodes().get(1) + "|t1", now, resplit).then()
                .statusCode(400).body("errors.field", hasItem("transactionId"));
        assertThat(count("select count(*) as n from unlock where viewer_id in ('v', ?)", crafted)).isZero();
    }

    @Test
    void batch_unlock_charges_a_vip_viewer_nothing() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "batchvip", 0, 30, 4);
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        topUp(viewerId, "coins-500");
        as(payments).body(Map.of("viewerId", viewerId, "grantId", "vip-" + UUID.randomUUID(),
                "until", Instant.now().plus(30, ChronoUnit.DAYS).toString())).post("/api/v1/payments/vip").then().statusCode(200);

        as(viewer).header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("count", 3))
                .post("/api/v1/series/" + series.id() + "/unlock-next").then().statusCode(409)
                .contentType("application/problem+json");
        as(viewer).get("/api/v1/me/wallet").then().statusCode(200).body("total", equalTo(550));
        assertThat(count("select count(*) as n from unlock where viewer_id = ?", viewerId)).isZero();
    }

    @Test
    void auto_unlock_is_decided_afresh_after_a_first_answer_that_charged_nothing() {
        Map<String, Object> body = Api.seriesBody(Api.unique("autofree"));
        body.put("freeEpisodeCount", 3);
        body.put("coinPrice", 30);
        String series = Api.createPublishedSeries(producer, body);
        String episode = Api.createPlayableEpisode(db, producer, series, 3);
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        topUp(viewerId, "coins-100");
        as(viewer).body(Map.of("autoUnlock", true)).put("/api/v1/me/settings").then().statusCode(200);

        // The auto-unlock's own key, first used while episode 3 was still free (a race with the price change).
        as(viewer).header("Idempotency-Key", "auto-unlock:" + episode).post("/api/v1/episodes/" + episode + "/unlock")
                .then().statusCode(200).body("outcome", equalTo("FREE"));
        as(producer).body(Map.of("freeEpisodeCount", 2)).patch("/api/v1/producer/series/" + series).then().statusCode(200);

        as(viewer).get("/api/v1/episodes/" + episode + "/playback").then().statusCode(200)
                .body("access", equalTo("unlocked"));
        as(viewer).get("/api/v1/me/wallet").then().body("total", equalTo(70));
    }

    @Test
    void a_vip_grant_replayed_with_another_end_date_is_refused_like_a_top_up() {
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String grant = "vip-" + UUID.randomUUID();
        Instant until = Instant.now().plus(7, ChronoUnit.DAYS);
        as(payments).body(Map.of("viewerId", viewerId, "grantId", grant, "until", until.toString()))
                .post("/api/v1/payments/vip").then().statusCode(200);
        as(payments).body(Map.of("viewerId", viewerId, "grantId", grant, "until", until.toString()))
                .post("/api/v1/payments/vip").then().statusCode(200);
        as(payments).body(Map.of("viewerId", viewerId, "grantId", grant, "until", until.plus(30, ChronoUnit.DAYS).toString()))
                .post("/api/v1/payments/vip").then().statusCode(409).contentType("application/problem+json");
        assertThat(count("select count(*) as n from ledger where viewer_id = ? and reason = 'vip_grant' and reference = ?",
                viewerId, grant)).as("the grant is one ledger row, however often it is replayed").isEqualTo(1);
    }

    @Test
    void batch_and_single_unlocks_racing_spend_exactly_what_the_ledger_says_and_reconcile() throws Exception {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "moneyrace", 0, 25, 12);
        List<String> viewers = new ArrayList<>();
        List<Callable<Integer>> requests = new ArrayList<>();
        for (int v = 0; v < 4; v++) {
            String viewerId = Tokens.newSubject(Roles.VIEWER);
            String token = Tokens.of(Roles.VIEWER, viewerId);
            viewers.add(viewerId);
            topUp(viewerId, "coins-100");  // enough for 4 of the 12 episodes: most of the race ends in 402
            requests.add(() -> as(token).header("Idempotency-Key", UUID.randomUUID().toString()).body(Map.of("count", 3))
                    .post("/api/v1/series/" + series.id() + "/unlock-next").statusCode());
            for (String episode : series.episodes()) {
                requests.add(() -> as(token).header("Idempotency-Key", UUID.randomUUID().toString())
                        .post("/api/v1/episodes/" + episode + "/unlock").statusCode());
            }
        }
        List<Integer> statuses = Money.concurrently(requests);
        assertThat(statuses).allMatch(s -> s == 200 || s == 402 || s == 409, "only 200, 402 or 409: " + statuses);

        for (String viewerId : viewers) {
            Map<String, Object> money = Db.row(db, """
                    select w.paid_coins + w.bonus_coins as balance,
                           (select coalesce(sum(paid_delta + bonus_delta), 0) from ledger l where l.viewer_id = w.viewer_id) as ledger,
                           (select coalesce(sum(paid_delta + bonus_delta), 0) from ledger l where l.viewer_id = w.viewer_id
                              and reason in ('unlock', 'batch_unlock')) as spent,
                           (select count(*) from unlock u where u.viewer_id = w.viewer_id) as unlocks
                    from wallet w where w.viewer_id = ?
                    """, viewerId);
            assertThat(((Number) money.get("balance")).longValue()).as("%s", money)
                    .isEqualTo(((Number) money.get("ledger")).longValue()).isGreaterThanOrEqualTo(0);
            assertThat(((Number) money.get("unlocks")).longValue()).as("%s", money).isGreaterThan(0);
        }
        JsonPath report = as(operator).get("/api/v1/admin/reconciliation").then().statusCode(200).extract().jsonPath();
        assertThat(report.getList("walletsOff.viewerId", String.class)).doesNotContainAnyElementsOf(viewers);
        assertThat(count("""
                select count(*) as n from unlock u where u.viewer_id = any(?) and not exists
                    (select 1 from ledger l where l.id = u.ledger_id)""", (Object) viewers.toArray(String[]::new)))
                .as("every unlock of the race has its ledger row").isZero();
    }

    @Test
    void reconciliation_finds_a_wallet_that_drifted_from_its_ledger_and_counts_it_as_a_metric() {
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        topUp(viewerId, "coins-100");
        Api.sql(db, "update wallet set paid_coins = paid_coins + 7 where viewer_id = ?", viewerId);
        try {
            JsonPath report = as(operator).get("/api/v1/admin/reconciliation").then().statusCode(200).extract().jsonPath();
            assertThat(report.getBoolean("clean")).isFalse();
            assertThat(report.getList("walletsOff.viewerId", String.class)).contains(viewerId);
            assertThat(report.getLong("walletsOffCount")).isPositive();
            assertThat(com.microdrama.support.Metrics.value("paywall_reconciliation_wallets_off")).isPositive();
        } finally {
            Api.sql(db, "update wallet set paid_coins = paid_coins - 7 where viewer_id = ?", viewerId);
        }
        JsonPath after = as(operator).get("/api/v1/admin/reconciliation").then().statusCode(200).extract().jsonPath();
        assertThat(after.getList("walletsOff.viewerId", String.class)).doesNotContain(viewerId);
    }

    @Test
    void operators_read_a_ledger_and_adjust_it_with_a_reason_and_nobody_else_can() {
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        topUp(viewerId, "coins-100");
        as(operator).body(Map.of("paidDelta", 0, "bonusDelta", 25, "reason", "goodwill: playback outage on 2026-11-24"))
                .post("/api/v1/admin/viewers/" + viewerId + "/adjustments").then().statusCode(201)
                .body("reason", equalTo("adjustment"), "bonusDelta", equalTo(25), "reference", equalTo(operatorId),
                        "note", equalTo("goodwill: playback outage on 2026-11-24"));
        as(operator).body(Map.of("paidDelta", -500, "bonusDelta", 0, "reason", "too much"))
                .post("/api/v1/admin/viewers/" + viewerId + "/adjustments").then().statusCode(409)
                .contentType("application/problem+json");
        as(operator).body(Map.of("paidDelta", 5, "bonusDelta", 0))
                .post("/api/v1/admin/viewers/" + viewerId + "/adjustments").then().statusCode(400)
                .body("errors.field", hasItem("reason"));

        JsonPath ledger = as(operator).get("/api/v1/admin/viewers/" + viewerId + "/ledger?limit=1").then().statusCode(200)
                .extract().jsonPath();
        assertThat(ledger.getLong("paid")).isEqualTo(100);
        assertThat(ledger.getLong("bonus")).isEqualTo(25);
        assertThat(ledger.getList("entries.reason", String.class)).containsExactly("adjustment");
        as(operator).get("/api/v1/admin/viewers/" + viewerId + "/ledger?cursor=" + ledger.getString("nextCursor"))
                .then().statusCode(200).body("entries.reason", equalTo(List.of("topup")), "nextCursor", equalTo(null));
        as(operator).get("/api/v1/admin/viewers/nobody-" + UUID.randomUUID() + "/ledger").then().statusCode(404);

        String viewer = Tokens.of(Roles.VIEWER, viewerId);
        as(viewer).get("/api/v1/admin/viewers/" + viewerId + "/ledger").then().statusCode(403);
        as(viewer).get("/api/v1/admin/reconciliation").then().statusCode(403);
        as(producer).body(Map.of("paidDelta", 1000, "bonusDelta", 0, "reason", "me"))
                .post("/api/v1/admin/viewers/" + viewerId + "/adjustments").then().statusCode(403);
    }

    private Response callback(String viewerId, String episode, String transaction, long timestamp, String signature) {
        return given().contentType("application/json").header("X-Ad-Signature", signature)
                .body(Map.of("viewerId", viewerId, "episodeId", episode, "transactionId", transaction, "timestamp", timestamp))
                .post("/api/v1/ads/callback");
    }

    private void topUp(String viewerId, String pack) {
        as(payments).body(Map.of("viewerId", viewerId, "purchaseId", "GPA." + UUID.randomUUID(), "pack", pack))
                .post("/api/v1/payments/topups").then().statusCode(200);
    }

    private long count(String sql, Object... params) {
        return ((Number) Db.row(db, sql, params).get("n")).longValue();
    }
}

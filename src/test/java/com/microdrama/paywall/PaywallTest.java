package com.microdrama.paywall;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Metrics;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class PaywallTest {

    @Inject
    AgroalDataSource db;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String payments = Tokens.of(Roles.PAYMENT_SERVICE, "store-gateway");
    private final String viewerId = Tokens.newSubject(Roles.VIEWER);
    private final String viewer = Tokens.of(Roles.VIEWER, viewerId);

    private String paidSeries(int price, int episodes, List<String> ids) {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "pay", 1, price, episodes);
        ids.addAll(series.episodes());
        return series.id();
    }

    private Response topUp(String viewer, String purchase, String pack) {
        return as(payments).body(Map.of("viewerId", viewer, "purchaseId", purchase, "pack", pack))
                .post("/api/v1/payments/topups");
    }

    private Response unlock(String token, String episode, String key) {
        return as(token).header("Idempotency-Key", key).post("/api/v1/episodes/" + episode + "/unlock");
    }

    @Test
    void a_store_purchase_is_credited_once_whatever_the_retries() {
        String purchase = unique("gpa");
        topUp(viewerId, purchase, "coins-500").then().statusCode(200)
                .body("replayed", equalTo(false)).body("paid", equalTo(500)).body("bonus", equalTo(50));
        topUp(viewerId, purchase, "coins-500").then().statusCode(200)
                .body("replayed", equalTo(true)).body("paid", equalTo(500));
        topUp(viewerId, purchase, "coins-100").then().statusCode(409).contentType("application/problem+json");
        topUp("someone-else", purchase, "coins-500").then().statusCode(409);
        topUp(viewerId, unique("gpa"), "coins-999999").then().statusCode(400).body("errors.field", hasItem("pack"));
        as(payments).body(Map.of("viewerId", viewerId, "pack", "coins-100")).post("/api/v1/payments/topups")
                .then().statusCode(400).body("errors.field", hasItem("purchaseId"));
        topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200);
        as(viewer).body(Map.of("viewerId", viewerId, "purchaseId", unique("x"), "pack", "coins-100"))
                .post("/api/v1/payments/topups").then().statusCode(403);

        as(viewer).get("/api/v1/me/wallet").then().statusCode(200)
                .body("paid", equalTo(600)).body("bonus", equalTo(50)).body("total", equalTo(650))
                .body("recent.size()", equalTo(2));
        assertLedgerMatchesBalance(viewerId);
    }

    @Test
    void unlocking_charges_bonus_coins_first_once_per_key_and_once_per_episode() {
        List<String> eps = new ArrayList<>();
        paidSeries(30, 3, eps);
        double unlocksBefore = Metrics.value("unlocks_total{kind=\"coins\"}");
        double bonusBefore = Metrics.value("coins_spent_total{wallet=\"bonus\"}");
        double paidBefore = Metrics.value("coins_spent_total{wallet=\"paid\"}");
        unlock(viewer, eps.get(1), "k1").then().statusCode(402).contentType("application/problem+json")
                .body("price", equalTo(30)).body("balance", equalTo(0))
                .body("detail", containsString("costs 30 coins"));

        topUp(viewerId, unique("gpa"), "coins-500").then().statusCode(200);
        unlock(viewer, eps.get(1), "k1").then().statusCode(200)
                .body("outcome", equalTo("UNLOCKED")).body("chargedBonus", equalTo(30)).body("chargedPaid", equalTo(0))
                .body("total", equalTo(520));
        unlock(viewer, eps.get(1), "k1").then().statusCode(200)
                .body("outcome", equalTo("UNLOCKED")).body("total", equalTo(520));
        unlock(viewer, eps.get(1), "k2").then().statusCode(200)
                .body("outcome", equalTo("ALREADY_UNLOCKED")).body("chargedBonus", equalTo(0)).body("total", equalTo(520));
        unlock(viewer, eps.get(2), "k1").then().statusCode(422).contentType("application/problem+json");
        unlock(viewer, eps.get(0), "k3").then().statusCode(200).body("outcome", equalTo("FREE"));
        unlock(viewer, eps.get(2), "k4").then().statusCode(200)
                .body("chargedBonus", equalTo(20)).body("chargedPaid", equalTo(10)).body("total", equalTo(490));
        unlock(viewer, UUID.randomUUID().toString(), "k5").then().statusCode(404);
        as(viewer).post("/api/v1/episodes/" + eps.get(2) + "/unlock").then().statusCode(400)
                .body("errors.field", hasItem("Idempotency-Key"));
        assertLedgerMatchesBalance(viewerId);
        // Two fresh unlocks; the replayed key, the already-unlocked and the free episode are not counted.
        assertThat(Metrics.value("unlocks_total{kind=\"coins\"}") - unlocksBefore).isEqualTo(2);
        assertThat(Metrics.value("coins_spent_total{wallet=\"bonus\"}") - bonusBefore).isEqualTo(50);
        assertThat(Metrics.value("coins_spent_total{wallet=\"paid\"}") - paidBefore).isEqualTo(10);
    }


    @Test
    void fifty_concurrent_unlocks_on_a_wallet_that_pays_for_five_unlock_exactly_five() throws Exception {
        List<String> eps = new ArrayList<>();
        paidSeries(20, 51, eps);
        topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200);

        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            String episode = eps.get(i);
            calls.add(() -> unlock(viewer, episode, "race-" + episode).statusCode());
        }
        List<Integer> codes = runConcurrently(calls);
        assertThat(codes).filteredOn(c -> c == 200).hasSize(5);
        assertThat(codes).filteredOn(c -> c == 402).hasSize(45);
        as(viewer).get("/api/v1/me/wallet").then().body("total", equalTo(0));
        assertThat(count("select count(*) from unlock where viewer_id = '" + viewerId + "'")).isEqualTo(5);
        assertLedgerMatchesBalance(viewerId);
    }

    @Test
    void the_same_idempotency_key_sent_twenty_times_in_parallel_charges_once() throws Exception {
        List<String> eps = new ArrayList<>();
        paidSeries(20, 2, eps);
        topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200);

        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> {
                Response r = unlock(viewer, eps.get(1), "same-key");
                assertThat(r.jsonPath().getInt("total")).isEqualTo(80);
                return r.statusCode();
            });
        }
        assertThat(runConcurrently(calls)).containsOnly(200);
        assertThat(count("select count(*) from ledger where viewer_id = '" + viewerId + "' and reason = 'unlock'")).isEqualTo(1);
        assertLedgerMatchesBalance(viewerId);
    }

    @Test
    void episode_lists_show_free_unlocked_and_locked_for_the_caller_and_vip_opens_everything() throws InterruptedException {
        List<String> eps = new ArrayList<>();
        String series = paidSeries(10, 3, eps);
        topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200);
        unlock(viewer, eps.get(1), "u1").then().statusCode(200);

        as(viewer).get("/api/v1/series/" + series + "/episodes").then().statusCode(200)
                .body("lock", equalTo(List.of("free", "unlocked", "locked")));
        String other = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        as(other).get("/api/v1/series/" + series + "/episodes").then()
                .body("lock", equalTo(List.of("free", "locked", "locked")));
        given().get("/api/v1/series/" + series + "/episodes").then().body("lock", equalTo(List.of("free", "locked", "locked")));

        String grant = unique("vip");
        Instant until = Instant.now().plusSeconds(3);
        Map<String, Object> vip = Map.of("viewerId", viewerId, "grantId", grant, "until", until.toString());
        as(payments).body(vip).post("/api/v1/payments/vip").then().statusCode(200);
        as(payments).body(vip).post("/api/v1/payments/vip").then().statusCode(200);
        as(viewer).get("/api/v1/series/" + series + "/episodes").then()
                .body("lock", equalTo(List.of("free", "unlocked", "unlocked")));
        unlock(viewer, eps.get(2), "u2").then().statusCode(200).body("outcome", equalTo("VIP")).body("chargedPaid", equalTo(0));
        as(viewer).get("/api/v1/episodes/" + eps.get(2) + "/playback").then().statusCode(200).body("access", equalTo("vip"));

        // The pass runs out: the cached expiry is a time, so the cache needs no update to see it.
        while (Instant.now().isBefore(until.plusMillis(200))) {
            Thread.sleep(100);
        }
        as(viewer).get("/api/v1/series/" + series + "/episodes").then()
                .body("lock", equalTo(List.of("free", "unlocked", "locked")));
        as(viewer).get("/api/v1/episodes/" + eps.get(2) + "/playback").then().statusCode(402)
                .body("price", equalTo(10));
        as(payments).body(Map.of("viewerId", viewerId, "grantId", unique("vip"), "until", "2001-01-01T00:00:00Z"))
                .post("/api/v1/payments/vip").then().statusCode(400).body("errors.field", hasItem("until"));
    }

    @Test
    void playback_is_refused_with_402_until_unlocked_then_answers_a_signed_master_url() throws InterruptedException {
        List<String> eps = new ArrayList<>();
        String series = paidSeries(15, 3, eps);
        as(viewer).get("/api/v1/episodes/" + eps.get(0) + "/playback").then().statusCode(200)
                .body("access", equalTo("free")).body("next.number", equalTo(2))
                .body("masterUrl", containsString("/master.m3u8?token="));
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(402)
                .contentType("application/problem+json").body("price", equalTo(15)).body("balance", equalTo(0))
                .body("unlockUrl", equalTo("/api/v1/episodes/" + eps.get(1) + "/unlock"));
        topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200);
        unlock(viewer, eps.get(1), "p1").then().statusCode(200);
        as(viewer).get("/api/v1/episodes/" + eps.get(1) + "/playback").then().statusCode(200)
                .body("access", equalTo("unlocked")).body("durationSeconds", equalTo(90.0f));
        as(viewer).get("/api/v1/episodes/" + UUID.randomUUID() + "/playback").then().statusCode(404);
        given().get("/api/v1/episodes/" + eps.get(0) + "/playback").then().statusCode(401);

        // The two successful starts count for the "popular" sort, flushed to PostgreSQL in the background.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (count("select popularity from series where id = '" + series + "'") < 2) {
            assertThat(System.nanoTime()).as("plays counted").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void unlock_next_n_is_discounted_all_or_nothing_and_idempotent() {
        List<String> eps = new ArrayList<>();
        String series = paidSeries(20, 5, eps); // episode 1 free, 2..5 cost 20 each
        String batch = "/api/v1/series/" + series + "/unlock-next";
        topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200);
        unlock(viewer, eps.get(2), "single").then().statusCode(200); // 80 left

        // The next 4 locked are 2, 4, 5 (3 is unlocked): 60 coins, 54 after the 10 % discount.
        as(viewer).header("Idempotency-Key", "b1").body(Map.of("count", 4)).post(batch).then().statusCode(200)
                .body("numbers", equalTo(List.of(2, 4, 5))).body("fullPrice", equalTo(60)).body("price", equalTo(54))
                .body("total", equalTo(26));
        as(viewer).header("Idempotency-Key", "b1").body(Map.of("count", 4)).post(batch).then().statusCode(200)
                .body("total", equalTo(26));
        as(viewer).header("Idempotency-Key", "b2").body(Map.of("count", 1)).post(batch).then().statusCode(409);
        as(viewer).get("/api/v1/series/" + series + "/episodes").then()
                .body("lock", equalTo(List.of("free", "unlocked", "unlocked", "unlocked", "unlocked")));

        List<String> more = new ArrayList<>();
        String expensive = paidSeries(20, 4, more); // 3 locked: 60 → 54 > 26
        as(viewer).header("Idempotency-Key", "b3").body(Map.of("count", 3)).post("/api/v1/series/" + expensive + "/unlock-next")
                .then().statusCode(402).body("price", equalTo(54)).body("balance", equalTo(26));
        assertThat(count("select count(*) from unlock u join episode e on e.id = u.episode_id where u.viewer_id = '"
                + viewerId + "' and e.series_id = '" + expensive + "'")).as("nothing unlocked").isZero();
        as(viewer).header("Idempotency-Key", "b4").body(Map.of("count", 0)).post(batch).then().statusCode(400);
        assertLedgerMatchesBalance(viewerId);
    }

    private static List<Integer> runConcurrently(List<Callable<Integer>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Integer> results = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertLedgerMatchesBalance(String viewer) {
        long ledger = count("select coalesce(sum(paid_delta + bonus_delta), 0) from ledger where viewer_id = '" + viewer + "'");
        long balance = count("select coalesce(sum(paid_coins + bonus_coins), 0) from wallet where viewer_id = '" + viewer + "'");
        assertThat(balance).as("balance equals the ledger's sum").isEqualTo(ledger);
        assertThat(count("select count(*) from wallet where viewer_id = '" + viewer + "' and (paid_coins < 0 or bonus_coins < 0)")).isZero();
    }

    private long count(String sql) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package com.microdrama.paywall;

import static com.microdrama.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The payment service's calls and the checks that a wallet still adds up, for the store-event tests. */
final class Money {

    static final String PAYMENTS = Tokens.of(Roles.PAYMENT_SERVICE, "store-gateway");
    static final String OPERATOR = Tokens.of(Roles.OPERATOR, "ops-reconciler");

    private Money() {
    }

    /** A response read whole on the thread that made it. */
    record Answer(int status, JsonPath json) {
    }

    static Answer answer(Response r) {
        return new Answer(r.statusCode(), new JsonPath(r.asString()));
    }

    static Response topUp(String viewerId, String purchaseId, String pack) {
        return as(PAYMENTS).body(Map.of("viewerId", viewerId, "purchaseId", purchaseId, "pack", pack))
                .post("/api/v1/payments/topups");
    }

    static Response reverse(String eventId, String viewerId, String purchaseId, String kind) {
        return as(PAYMENTS).body(Map.of("eventId", eventId, "viewerId", viewerId, "purchaseId", purchaseId, "kind", kind))
                .post("/api/v1/payments/reversals");
    }

    static Response unlock(String viewerToken, String episodeId, String key) {
        return as(viewerToken).header("Idempotency-Key", key).post("/api/v1/episodes/" + episodeId + "/unlock");
    }

    /** The wallet's paid, bonus and debt columns. */
    static List<Long> wallet(AgroalDataSource db, String viewerId) {
        Map<String, Object> w = Db.row(db, "select paid_coins, bonus_coins, debt_coins from wallet where viewer_id = ?",
                viewerId);
        return List.of((Long) w.get("paid_coins"), (Long) w.get("bonus_coins"), (Long) w.get("debt_coins"));
    }

    /** The viewer's ledger rows in order: reason, paid, bonus and debt deltas, reference. */
    static List<List<Object>> ledger(AgroalDataSource db, String viewerId) {
        return Db.rows(db, """
                        select reason, paid_delta, bonus_delta, debt_delta, reference from ledger
                        where viewer_id = ? order by id
                        """, viewerId).stream()
                .map(r -> List.<Object>of(r.get("reason"), r.get("paid_delta"), r.get("bonus_delta"), r.get("debt_delta"),
                        String.valueOf(r.get("reference"))))
                .toList();
    }

    /**
     * Paid coins, bonus coins and debt each equal their ledger column's sum, none is negative, and every unlock
     * bought with coins points at its ledger row.
     */
    static void assertReconciled(AgroalDataSource db, String viewerId) {
        Map<String, Object> sums = Db.row(db, """
                select coalesce(sum(paid_delta), 0)::bigint as paid, coalesce(sum(bonus_delta), 0)::bigint as bonus,
                       coalesce(sum(debt_delta), 0)::bigint as debt from ledger where viewer_id = ?
                """, viewerId);
        List<Long> wallet = wallet(db, viewerId);
        assertThat(List.of(sums.get("paid"), sums.get("bonus"), sums.get("debt")))
                .as("wallet (paid, bonus, debt) equals the ledger's sums").isEqualTo(wallet);
        assertThat(wallet).allMatch(v -> v >= 0);
        assertThat(Db.row(db, """
                select count(*) as n from unlock where viewer_id = ? and method in ('coins', 'batch') and ledger_id is null
                """, viewerId).get("n")).as("coin unlocks without a ledger row").isEqualTo(0L);
        // And the operators' reconciliation, which checks the same for every wallet, agrees.
        assertThat(as(OPERATOR).get("/api/v1/admin/reconciliation").then().statusCode(200).extract().jsonPath()
                .getList("walletsOff.viewerId", String.class)).doesNotContain(viewerId);
    }

    /** Runs the calls at once (released together) and answers their results in order. */
    static <T> List<T> concurrently(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

package com.microdrama.paywall;

import static com.microdrama.paywall.Money.PAYMENTS;
import static com.microdrama.paywall.Money.ledger;
import static com.microdrama.paywall.Money.reverse;
import static com.microdrama.paywall.Money.topUp;
import static com.microdrama.paywall.Money.unlock;
import static com.microdrama.paywall.Money.wallet;
import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Refunds and chargebacks of top-ups: coins taken back, what was spent owed as debt, settled by the next top-up. */
@QuarkusTest
class StoreReversalTest {

    @Inject
    AgroalDataSource db;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String viewerId = Tokens.newSubject(Roles.VIEWER);
    private final String viewer = Tokens.of(Roles.VIEWER, viewerId);

    @Test
    void a_refund_takes_the_packs_coins_back_and_a_shortfall_of_bonus_from_paid_coins() {
        List<String> eps = Api.playableSeries(db, producer, "refund", 0, 30, 2).episodes();
        String first = unique("gpa");
        String second = unique("gpa");
        topUp(viewerId, first, "coins-100").then().statusCode(200);
        topUp(viewerId, second, "coins-500").then().statusCode(200);           // 600 paid, 50 bonus
        unlock(viewer, eps.get(0), "u1").then().statusCode(200).body("chargedBonus", equalTo(30)); // 600, 20

        reverse("evt-" + second, viewerId, second, "refund").then().statusCode(200)
                .body("replayed", equalTo(false)).body("alreadyReversed", equalTo(false))
                .body("paidReversed", equalTo(530)).body("bonusReversed", equalTo(20)).body("debtAdded", equalTo(0))
                .body("paid", equalTo(70)).body("bonus", equalTo(0)).body("debt", equalTo(0));
        assertThat(wallet(db, viewerId)).containsExactly(70L, 0L, 0L);
        assertThat(ledger(db, viewerId).get(3)).containsExactly("refund", -530L, -20L, 0L, second);
        as(viewer).get("/api/v1/me/wallet").then().statusCode(200).body("debt", equalTo(0)).body("total", equalTo(70))
                .body("recent[0].reason", equalTo("refund")).body("recent[0].paidDelta", equalTo(-530))
                .body("recent[0].note", equalTo("store event evt-" + second));
        unlock(viewer, eps.get(1), "u2").then().statusCode(200);
        Money.assertReconciled(db, viewerId);
    }

    @Test
    void a_refund_of_spent_coins_leaves_a_debt_that_refuses_unlocks_until_the_next_top_up_settles_it() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "debt", 0, 30, 4);
        List<String> eps = series.episodes();
        String purchase = unique("gpa");
        topUp(viewerId, purchase, "coins-100").then().statusCode(200);
        unlock(viewer, eps.get(0), "u1").then().statusCode(200);
        unlock(viewer, eps.get(1), "u2").then().statusCode(200);               // 40 paid left

        reverse("evt-1", viewerId, purchase, "refund").then().statusCode(200)
                .body("paidReversed", equalTo(40)).body("bonusReversed", equalTo(0)).body("debtAdded", equalTo(60))
                .body("paid", equalTo(0)).body("bonus", equalTo(0)).body("debt", equalTo(60));
        assertThat(wallet(db, viewerId)).containsExactly(0L, 0L, 60L);
        as(viewer).get("/api/v1/me/wallet").then().body("debt", equalTo(60)).body("total", equalTo(0))
                .body("recent[0].debtDelta", equalTo(60));

        // Unlocks already bought stay; new ones, single or batch, wait for the debt.
        as(viewer).get("/api/v1/episodes/" + eps.get(0) + "/playback").then().statusCode(200);
        unlock(viewer, eps.get(2), "u3").then().statusCode(402).contentType("application/problem+json")
                .body("debt", equalTo(60)).body("detail", containsString("owes 60 coins"))
                .body("detail", containsString("top-up"));
        as(viewer).header("Idempotency-Key", "b1").body(Map.of("count", 1))
                .post("/api/v1/series/" + series.id() + "/unlock-next").then().statusCode(402).body("debt", equalTo(60));

        String next = unique("gpa");
        topUp(viewerId, next, "coins-500").then().statusCode(200)
                .body("paidCredited", equalTo(500)).body("bonusCredited", equalTo(50))
                .body("paid", equalTo(490)).body("bonus", equalTo(0));
        topUp(viewerId, next, "coins-500").then().statusCode(200).body("replayed", equalTo(true)).body("paid", equalTo(490));
        assertThat(wallet(db, viewerId)).containsExactly(490L, 0L, 0L);
        List<List<Object>> rows = ledger(db, viewerId);
        assertThat(rows.subList(3, rows.size())).containsExactly(
                List.of("refund", -40L, 0L, 60L, purchase),
                List.of("topup", 500L, 50L, 0L, next),
                List.of("debt_settlement", -10L, -50L, -60L, next));

        unlock(viewer, eps.get(2), "u3").then().statusCode(200).body("total", equalTo(460));
        Money.assertReconciled(db, viewerId);
    }

    @Test
    void a_chargeback_takes_the_same_path_and_a_purchase_is_reversed_once_whatever_the_events() {
        List<String> eps = Api.playableSeries(db, producer, "chargeback", 0, 30, 1).episodes();
        String purchase = unique("gpa");
        topUp(viewerId, purchase, "coins-100").then().statusCode(200);
        unlock(viewer, eps.get(0), "u1").then().statusCode(200);               // 70 left

        reverse("cb-1", viewerId, purchase, "chargeback").then().statusCode(200)
                .body("kind", equalTo("chargeback")).body("paidReversed", equalTo(70)).body("debtAdded", equalTo(30));
        // The same event again answers what it did; another event for the purchase reverses nothing.
        reverse("cb-1", viewerId, purchase, "chargeback").then().statusCode(200)
                .body("replayed", equalTo(true)).body("alreadyReversed", equalTo(false))
                .body("paidReversed", equalTo(70)).body("debtAdded", equalTo(30));
        reverse("rf-1", viewerId, purchase, "refund").then().statusCode(200)
                .body("replayed", equalTo(false)).body("alreadyReversed", equalTo(true))
                .body("paidReversed", equalTo(0)).body("debtAdded", equalTo(0)).body("debt", equalTo(30));
        reverse("rf-1", viewerId, purchase, "refund").then().statusCode(200)
                .body("replayed", equalTo(true)).body("alreadyReversed", equalTo(true));
        assertThat(wallet(db, viewerId)).containsExactly(0L, 0L, 30L);
        assertThat(ledger(db, viewerId)).filteredOn(r -> r.get(0).equals("chargeback") || r.get(0).equals("refund"))
                .containsExactly(List.of("chargeback", -70L, 0L, 30L, purchase));

        topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200).body("paid", equalTo(70));
        assertThat(wallet(db, viewerId)).containsExactly(70L, 0L, 0L);
        Money.assertReconciled(db, viewerId);
    }

    @Test
    void unknown_purchases_other_viewers_purchases_reused_event_ids_and_bad_requests_are_refused() {
        String purchase = unique("gpa");
        topUp(viewerId, purchase, "coins-100").then().statusCode(200);
        reverse(unique("e"), viewerId, unique("never-bought"), "refund").then().statusCode(404)
                .contentType("application/problem+json");
        String other = Tokens.newSubject(Roles.VIEWER);
        reverse(unique("e"), other, purchase, "refund").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("another viewer"));

        reverse("same-id", viewerId, purchase, "refund").then().statusCode(200);
        reverse("same-id", viewerId, purchase, "chargeback").then().statusCode(409)
                .body("detail", containsString("other details"));
        reverse("same-id", other, purchase, "refund").then().statusCode(409);
        String another = unique("gpa");
        topUp(viewerId, another, "coins-100").then().statusCode(200);
        reverse("same-id", viewerId, another, "refund").then().statusCode(409);

        reverse(unique("e"), viewerId, another, "void").then().statusCode(400).body("errors.field", hasItem("kind"));
        as(PAYMENTS).body(Map.of("viewerId", viewerId, "purchaseId", another, "kind", "refund"))
                .post("/api/v1/payments/reversals").then().statusCode(400).body("errors.field", hasItem("eventId"));
        as(viewer).body(Map.of("eventId", unique("e"), "viewerId", viewerId, "purchaseId", another, "kind", "refund"))
                .post("/api/v1/payments/reversals").then().statusCode(403);
        assertThat(wallet(db, viewerId)).containsExactly(100L, 0L, 0L);
        Money.assertReconciled(db, viewerId);
    }
}

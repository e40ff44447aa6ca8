package com.microdrama.paywall;

import static com.microdrama.paywall.Money.ledger;
import static com.microdrama.paywall.Money.reverse;
import static com.microdrama.paywall.Money.topUp;
import static com.microdrama.paywall.Money.unlock;
import static com.microdrama.paywall.Money.wallet;
import static com.microdrama.support.Api.unique;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Store reversals arriving together with each other and with unlocks on the same wallet. */
@QuarkusTest
class StoreReversalRaceTest {

    private static final int ROUNDS = 4;

    @Inject
    AgroalDataSource db;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Test
    void ten_refunds_of_one_purchase_at_once_with_the_same_and_other_event_ids_reverse_it_exactly_once()
            throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String viewerId = Tokens.newSubject(Roles.VIEWER);
            String purchase = unique("gpa");
            topUp(viewerId, purchase, "coins-500").then().statusCode(200);
            topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200);

            String shared = unique("evt");
            List<Callable<Money.Answer>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                // Five sends of one event (same details every time), five other events, some of them chargebacks.
                String eventId = i % 2 == 0 ? shared : unique("evt");
                String kind = i % 2 == 1 && i % 3 == 0 ? "chargeback" : "refund";
                calls.add(() -> Money.answer(reverse(eventId, viewerId, purchase, kind)));
            }
            List<Money.Answer> answers = Money.concurrently(calls);

            assertThat(answers).extracting(Money.Answer::status).containsOnly(200);
            List<Money.Answer> reversing = answers.stream().filter(a -> !a.json().getBoolean("alreadyReversed")).toList();
            assertThat(reversing).filteredOn(a -> !a.json().getBoolean("replayed")).as("fresh reversals").hasSize(1);
            assertThat(reversing).allSatisfy(a -> assertThat(a.json().getInt("paidReversed")).isEqualTo(500));
            assertThat(answers).filteredOn(a -> a.json().getBoolean("alreadyReversed"))
                    .allSatisfy(a -> assertThat(a.json().getInt("paidReversed")).isZero());
            // Every send of the shared id answers the same result.
            List<String> sharedResults = answers.stream().filter(a -> a.json().getString("eventId").equals(shared))
                    .map(a -> a.json().getString("alreadyReversed") + "/" + a.json().getString("paidReversed")).toList();
            assertThat(sharedResults).hasSize(5).containsOnly(sharedResults.get(0));
            assertThat(ledger(db, viewerId)).filteredOn(r -> r.get(0).equals("refund") || r.get(0).equals("chargeback"))
                    .hasSize(1).allSatisfy(r -> assertThat(r.subList(1, 4)).containsExactly(-500L, -50L, 0L));
            assertThat(wallet(db, viewerId)).containsExactly(100L, 0L, 0L);
            assertThat(Db.row(db, "select count(*) as n from store_event where viewer_id = ?", viewerId).get("n"))
                    .as("the shared id and the five others").isEqualTo(6L);
            Money.assertReconciled(db, viewerId);
            Log.infof("Round %d: %d answers reversed the purchase (the shared id's replays included), %d found it reversed",
                    round, reversing.size(), answers.size() - reversing.size());
        }
    }

    @Test
    void a_refund_racing_ten_unlocks_never_leaves_a_negative_balance_and_any_shortfall_is_a_debt_row() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            String viewerId = Tokens.newSubject(Roles.VIEWER);
            String viewer = Tokens.of(Roles.VIEWER, viewerId);
            List<String> eps = Api.playableSeries(db, producer, "race", 0, 30, 10).episodes();
            String refunded = unique("gpa");
            topUp(viewerId, refunded, "coins-100").then().statusCode(200);
            topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200);  // 200 paid: 6 unlocks at most

            List<Callable<Money.Answer>> calls = new ArrayList<>();
            calls.add(() -> Money.answer(reverse(unique("evt"), viewerId, refunded, "refund")));
            for (String episode : eps) {
                calls.add(() -> Money.answer(unlock(viewer, episode, "k-" + episode)));
            }
            List<Money.Answer> answers = Money.concurrently(calls);

            Money.Answer refund = answers.get(0);
            assertThat(refund.status()).isEqualTo(200);
            List<Money.Answer> unlocks = answers.subList(1, answers.size());
            assertThat(unlocks).extracting(Money.Answer::status).containsOnly(200, 402);
            long unlocked = unlocks.stream().filter(a -> a.status() == 200).count();
            long refusedForDebt = unlocks.stream().filter(a -> a.status() == 402 && a.json().get("debt") != null).count();
            long taken = refund.json().getLong("paidReversed");
            long debt = refund.json().getLong("debtAdded");

            assertThat(taken + debt).as("the refund accounts for the whole pack").isEqualTo(100);
            assertThat(wallet(db, viewerId)).containsExactly(200 - 30 * unlocked - taken, 0L, debt);
            assertThat(Db.row(db, "select count(*) as n from unlock where viewer_id = ?", viewerId).get("n"))
                    .isEqualTo(unlocked);
            assertThat(Db.row(db, "select count(*) as n from ledger where viewer_id = ? and reason = 'unlock'", viewerId)
                    .get("n")).isEqualTo(unlocked);
            assertThat(ledger(db, viewerId)).filteredOn(r -> r.get(0).equals("refund"))
                    .containsExactly(List.of("refund", -taken, 0L, debt, refunded));
            if (debt > 0) {
                assertThat(wallet(db, viewerId).get(0)).as("a debt only when the coins were gone").isZero();
            }
            Money.assertReconciled(db, viewerId);
            Log.infof("Round %d: %d unlocks, %d refused for debt, refund took %d and left %d owed",
                    round, unlocked, refusedForDebt, taken, debt);

            // The next top-up pays the debt and unlocks work again.
            topUp(viewerId, unique("gpa"), "coins-100").then().statusCode(200);
            assertThat(wallet(db, viewerId).get(2)).isZero();
            Money.assertReconciled(db, viewerId);
        }
    }
}

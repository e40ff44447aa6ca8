package com.microdrama.paywall;

import com.microdrama.core.persistence.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * The paywall's SQL for store events: the store_event record that makes each event id count once, and the wallet
 * and ledger writes of reversals, debt settlements and VIP changes. Each method is one statement on the client it
 * is given, so the caller's transaction decides what commits together.
 */
final class StoreEventStore {

    private StoreEventStore() {
    }

    /** An event id received before: whether it came with the same kind, viewer and details, and its answer. */
    record Seen(boolean same, JsonObject result) {
    }

    /** A credited store purchase: whose it is and what its 'topup' ledger row credited. */
    record Purchase(String viewerId, Balance credited) {
    }

    /**
     * Empty when this transaction now owns the event id and should handle it; what was stored when the id was
     * handled before. A concurrent duplicate waits on the id's row until the first commits (or rolls back, and
     * then claims it itself).
     */
    static Uni<Optional<Seen>> claim(SqlClient tx, String eventId, String kind, String viewerId, JsonObject request) {
        return tx.preparedQuery("""
                        insert into store_event (event_id, kind, viewer_id, request, result)
                        values ($1, $2, $3, $4, '{}') on conflict do nothing returning 1
                        """).execute(Tuple.of(eventId, kind, viewerId, request))
                .flatMap(claimed -> claimed.size() > 0
                        ? Uni.createFrom().item(Optional.<Seen>empty())
                        : tx.preparedQuery("""
                                select kind = $2 and viewer_id = $3 and request = $4::jsonb as same, result
                                from store_event where event_id = $1
                                """).execute(Tuple.of(eventId, kind, viewerId, request))
                        .map(rows -> {
                            Row r = rows.iterator().next();
                            return Optional.of(new Seen(r.getBoolean("same"), (JsonObject) r.getValue("result")));
                        }));
    }

    static Uni<Void> answer(SqlClient tx, String eventId, JsonObject result) {
        return tx.preparedQuery("update store_event set result = $2 where event_id = $1")
                .execute(Tuple.of(eventId, result)).replaceWithVoid();
    }

    static Uni<Optional<Purchase>> purchase(SqlClient client, String purchaseId) {
        return client.preparedQuery("""
                        select viewer_id, paid_delta, bonus_delta from ledger where reason = 'topup' and reference = $1
                        """).execute(Tuple.of(purchaseId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next())
                        .map(r -> new Purchase(r.getString("viewer_id"),
                                new Balance(r.getLong("paid_delta"), r.getLong("bonus_delta")))));
    }

    /** The reason ('refund' or 'chargeback') of the purchase's reversal, or a null item when it has none. */
    static Uni<String> reversal(SqlClient client, String purchaseId) {
        return client.preparedQuery("""
                        select reason from ledger where reference = $1 and reason in ('refund', 'chargeback')
                        """).execute(Tuple.of(purchaseId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("reason"));
    }

    /**
     * The wallet takes {@code after} (read under its row lock by the caller) and the ledger records the change,
     * in one statement: {@code coins} as paid and bonus deltas, {@code debtDelta} as the change of debt.
     */
    static Uni<Void> move(SqlClient tx, String viewerId, Balance after, Balance coins, long debtDelta, String reason,
                          String reference, String note) {
        return tx.preparedQuery("""
                        with moved as (
                            update wallet set paid_coins = $2, bonus_coins = $3, debt_coins = $4, updated_at = now()
                            where viewer_id = $1 returning viewer_id
                        )
                        insert into ledger (viewer_id, paid_delta, bonus_delta, debt_delta, reason, reference, note)
                        select viewer_id, $5, $6, $7, $8, $9, $10 from moved
                        """).execute(Tuple.from(Arrays.asList(viewerId, after.paid(), after.bonus(), after.debt(),
                        coins.paid(), coins.bonus(), debtDelta, reason, reference, note)))
                .replaceWithVoid();
    }

    /** The VIP expiry under the wallet's row lock (empty: never had one), so VIP events of a viewer serialise. */
    static Uni<Optional<Instant>> lockVip(SqlClient tx, String viewerId) {
        return tx.preparedQuery("select vip_until from wallet where viewer_id = $1 for update")
                .execute(Tuple.of(viewerId))
                .map(rows -> Optional.ofNullable(Rows.instant(rows.iterator().next(), "vip_until")));
    }

    /** Sets the VIP expiry and writes its ledger row (no coins; the note is the new expiry, or 'none'). */
    static Uni<Void> setVip(SqlClient tx, String viewerId, Optional<Instant> until, String reason, String reference) {
        return tx.preparedQuery("""
                        with changed as (
                            update wallet set vip_until = $2, updated_at = now() where viewer_id = $1 returning viewer_id
                        )
                        insert into ledger (viewer_id, paid_delta, bonus_delta, reason, reference, note)
                        select viewer_id, 0, 0, $3, $4, $5 from changed
                        """).execute(Tuple.of(viewerId, until.map(at -> at.atOffset(ZoneOffset.UTC)).orElse(null),
                        reason, reference, until.map(Instant::toString).orElse("none")))
                .replaceWithVoid();
    }

    /** The committed VIP expiry (empty: none), to check what a write-through left in the cache. */
    static Uni<Optional<Instant>> vipUntil(SqlClient client, String viewerId) {
        return client.preparedQuery("select vip_until from wallet where viewer_id = $1").execute(Tuple.of(viewerId))
                .map(rows -> rows.size() == 0 ? Optional.<Instant>empty()
                        : Optional.ofNullable(Rows.instant(rows.iterator().next(), "vip_until")));
    }
}

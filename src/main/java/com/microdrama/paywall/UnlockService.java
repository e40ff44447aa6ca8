package com.microdrama.paywall;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Unlocking an episode with coins. One transaction: the idempotency key is claimed, the unlock row is written
 * (unique per viewer and episode), the wallet is debited under its row lock (bonus coins first; the database also
 * refuses a negative balance) and the ledger row is added. A replayed key answers the stored result.
 */
@ApplicationScoped
public class UnlockService {

    private final Pool pool;
    private final EntitlementCache cache;
    private final PaywallMetrics metrics;

    UnlockService(Pool pool, EntitlementCache cache, PaywallMetrics metrics) {
        this.pool = pool;
        this.cache = cache;
        this.metrics = metrics;
    }

    public enum Outcome { UNLOCKED, ALREADY_UNLOCKED, FREE, VIP }

    /** {@code seriesId} and {@code number} serve the cache write-through; replayed results do not carry them. */
    public record Result(UUID episodeId, Outcome outcome, long chargedPaid, long chargedBonus, long paid, long bonus,
                         long total, @JsonIgnore UUID seriesId, @JsonIgnore int number) {

        JsonObject toJson() {
            return new JsonObject().put("episodeId", episodeId.toString()).put("outcome", outcome.name())
                    .put("chargedPaid", chargedPaid).put("chargedBonus", chargedBonus)
                    .put("paid", paid).put("bonus", bonus);
        }

        static Result fromJson(JsonObject json) {
            long paid = json.getLong("paid");
            long bonus = json.getLong("bonus");
            return new Result(UUID.fromString(json.getString("episodeId")), Outcome.valueOf(json.getString("outcome")),
                    json.getLong("chargedPaid"), json.getLong("chargedBonus"), paid, bonus, paid + bonus, null, 0);
        }
    }

    public Uni<Result> unlock(String viewerId, UUID episodeId, String idempotencyKey) {
        return pool.withTransaction(tx -> IdempotencyKeys.claim(tx, viewerId, idempotencyKey, episodeId.toString())
                        .flatMap(stored -> stored.isPresent()
                                ? Uni.createFrom().item(Result.fromJson(stored.get()))
                                : perform(tx, viewerId, episodeId).call(result ->
                                        IdempotencyKeys.store(tx, viewerId, idempotencyKey, result.toJson()))))
                // After the commit: the cache learns of the unlock (a miss would refill it anyway).
                .call(result -> {
                    if (result.outcome() != Outcome.UNLOCKED || result.seriesId() == null) {
                        return Uni.createFrom().voidItem();
                    }
                    metrics.unlocked("coins", 1, result.chargedPaid(), result.chargedBonus());
                    return cache.unlocked(viewerId, result.seriesId(), result.number());
                });
    }

    private static Uni<Result> perform(SqlClient tx, String viewerId, UUID episodeId) {
        return WalletService.ensureWallet(tx, viewerId)
                // The wallet row lock serialises this viewer's unlocks: no overspend under concurrency.
                .flatMap(x -> tx.preparedQuery("select paid_coins, bonus_coins from wallet where viewer_id = $1 for update")
                        .execute(Tuple.of(viewerId)))
                .flatMap(x -> EntitlementService.of(tx, viewerId, episodeId))
                .flatMap(e -> {
                    if (e.free() || e.vip() || e.unlocked()) {
                        Outcome outcome = e.free() ? Outcome.FREE : e.unlocked() ? Outcome.ALREADY_UNLOCKED : Outcome.VIP;
                        return Uni.createFrom().item(result(e, outcome, Balance.EMPTY, e.balance()));
                    }
                    if (e.balance().total() < e.price()) {
                        throw EntitlementService.locked(e);
                    }
                    Balance spent = e.balance().charge(e.price());
                    Balance after = e.balance().minus(spent);
                    return tx.preparedQuery("""
                                    with debit as (
                                        update wallet set paid_coins = $2, bonus_coins = $3, updated_at = now()
                                        where viewer_id = $1 returning viewer_id
                                    ), entry as (
                                        insert into ledger (viewer_id, paid_delta, bonus_delta, reason, episode_id)
                                        select viewer_id, $4, $5, 'unlock', $6 from debit returning id
                                    )
                                    insert into unlock (viewer_id, episode_id, method, ledger_id)
                                    select $1, $6, 'coins', id from entry
                                    """).execute(Tuple.from(java.util.List.of(viewerId, after.paid(), after.bonus(),
                                    -spent.paid(), -spent.bonus(), episodeId)))
                            .map(x -> {
                                Log.debugf("Viewer %s unlocked episode %s for %d coins", viewerId, episodeId, e.price());
                                return result(e, Outcome.UNLOCKED, spent, after);
                            });
                });
    }

    private static Result result(Entitlement e, Outcome outcome, Balance charged, Balance after) {
        return new Result(e.episodeId(), outcome, charged.paid(), charged.bonus(), after.paid(), after.bonus(),
                after.total(), e.seriesId(), e.number());
    }
}

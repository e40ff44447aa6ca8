package com.microdrama.paywall;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.microdrama.core.error.ApiException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Unlocking an episode with coins. One transaction: the idempotency key is claimed, then {@link CoinMoves} locks the
 * wallet and writes the debit (bonus coins first; the database also refuses a negative balance), the ledger row and
 * the unlock row (unique per viewer and episode). A replayed key answers the stored result.
 */
@ApplicationScoped
public class UnlockService {

    private final Pool pool;
    private final PricedEpisodes episodes;
    private final CoinMoves moves;

    UnlockService(Pool pool, PricedEpisodes episodes, CoinMoves moves) {
        this.pool = pool;
        this.episodes = episodes;
        this.moves = moves;
    }

    public enum Outcome { UNLOCKED, ALREADY_UNLOCKED, FREE, VIP }

    /** {@code seriesId} and {@code number} serve the cache write-through; replayed results do not carry them. */
    @Schema(name = "UnlockResult")
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
        // The episode is read before the transaction: asking the pool for a second connection while holding one
        // deadlocks it under load. A missing episode fails inside, so a replayed key still answers its result.
        String request = episodeId.toString();
        return episodes.playable(episodeId)
                .flatMap(episode -> pool.withTransaction(tx -> IdempotencyKeys.claim(tx, viewerId, idempotencyKey, request)
                        .flatMap(stored -> stored.isPresent()
                                ? Uni.createFrom().item(Result.fromJson(stored.get()))
                                : perform(tx, viewerId, episodeId, episode).call(result -> result.outcome() == Outcome.UNLOCKED
                                        ? IdempotencyKeys.store(tx, viewerId, idempotencyKey, result.toJson())
                                        // Nothing was bought: the key is not kept, so a retry after the state
                                        // changed (a price, an expired pass) is decided afresh, not replayed.
                                        : IdempotencyKeys.release(tx, viewerId, idempotencyKey)))))
                // After the commit, and only for a fresh unlock (a replayed result carries no series).
                .call(result -> result.outcome() != Outcome.UNLOCKED || result.seriesId() == null
                        ? Uni.createFrom().voidItem()
                        : moves.committed(viewerId, CoinMoves.Kind.COINS, result.seriesId(), List.of(result.number()),
                                new Balance(result.chargedPaid(), result.chargedBonus())));
    }

    private Uni<Result> perform(SqlClient tx, String viewerId, UUID episodeId, PricedEpisode episode) {
        if (episode == null) {
            return Uni.createFrom().failure(ApiException.notFound("episode", episodeId));
        }
        return moves.hold(tx, viewerId)
                .flatMap(x -> WalletStore.standing(tx, viewerId, episodeId))
                .map(standing -> Entitlement.of(episode, standing))
                .flatMap(e -> {
                    if (e.free() || e.vip() || e.unlocked()) {
                        Outcome outcome = e.free() ? Outcome.FREE : e.unlocked() ? Outcome.ALREADY_UNLOCKED : Outcome.VIP;
                        return Uni.createFrom().item(result(e, outcome, Balance.EMPTY, e.balance()));
                    }
                    return moves.pay(tx, viewerId, e.balance(), e.price(), CoinMoves.Kind.COINS, null, List.of(episode),
                                    () -> EntitlementService.locked(e))
                            .map(charge -> {
                                Log.debugf("Viewer %s unlocked episode %s for %d coins", viewerId, episodeId, e.price());
                                return result(e, Outcome.UNLOCKED, charge.spent(), charge.after());
                            });
                });
    }

    private static Result result(Entitlement e, Outcome outcome, Balance charged, Balance after) {
        return new Result(e.episodeId(), outcome, charged.paid(), charged.bonus(), after.paid(), after.bonus(),
                after.total(), e.seriesId(), e.number());
    }
}

package com.microdrama.paywall;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * "Unlock the next N episodes" at a discount: all of them or none, in one transaction, under the wallet's row
 * lock and the same idempotency rules as single unlocks.
 */
@ApplicationScoped
public class BatchUnlockService {

    private final Pool pool;
    private final PricedEpisodes episodes;
    private final CoinMoves moves;
    private final PaywallConfig config;

    BatchUnlockService(Pool pool, PricedEpisodes episodes, CoinMoves moves, PaywallConfig config) {
        this.pool = pool;
        this.episodes = episodes;
        this.moves = moves;
        this.config = config;
    }

    @Schema(name = "BatchUnlockResult")
    public record Result(UUID seriesId, List<Integer> numbers, long fullPrice, long price, long chargedPaid,
                         long chargedBonus, long paid, long bonus, long total) {

        JsonObject toJson() {
            return JsonObject.mapFrom(this);
        }
    }

    /** A result and whether this request made it (a replayed key did not). */
    private record Done(Result result, boolean fresh) {
    }

    public Uni<Result> unlockNext(String viewerId, UUID seriesId, int count, String key) {
        String request = "batch:" + seriesId + ":" + count;
        // The episodes are read before the transaction, which then only needs its own connection.
        return episodes.lockable(seriesId)
                .flatMap(paid -> pool.withTransaction(tx -> IdempotencyKeys.claim(tx, viewerId, key, request)
                        .flatMap(stored -> stored.isPresent()
                                ? Uni.createFrom().item(new Done(stored.get().mapTo(Result.class), false))
                                : perform(tx, viewerId, seriesId, paid, count, key)
                                        .call(result -> IdempotencyKeys.store(tx, viewerId, key, result.toJson()))
                                        .map(result -> new Done(result, true)))))
                .call(done -> done.fresh()
                        ? moves.committed(viewerId, CoinMoves.Kind.BATCH, seriesId, done.result().numbers(),
                                new Balance(done.result().chargedPaid(), done.result().chargedBonus()))
                        : Uni.createFrom().voidItem())
                .map(Done::result);
    }

    private Uni<Result> perform(SqlClient tx, String viewerId, UUID seriesId, List<PricedEpisode> paid, int count,
                                String key) {
        return moves.hold(tx, viewerId).flatMap(balance -> WalletStore.seriesUnlocks(tx, viewerId, seriesId)
                .flatMap(mine -> {
                    if (mine.vipUntil().filter(until -> until.isAfter(Instant.now())).isPresent()) {
                        throw ApiException.conflict("your VIP pass covers every episode until " + mine.vipUntil().get()
                                + "; nothing needs unlocking and nothing was charged");
                    }
                    List<PricedEpisode> next = paid.stream().filter(e -> !mine.numbers().contains(e.number()))
                            .limit(count).toList();
                    if (next.isEmpty()) {
                        throw ApiException.conflict("no locked episode is left to unlock in this series");
                    }
                    List<Integer> numbers = next.stream().map(PricedEpisode::number).toList();
                    long full = next.stream().mapToLong(PricedEpisode::price).sum();
                    long price = full - full * config.batchDiscountPercent() / 100;
                    return moves.pay(tx, viewerId, balance, price, CoinMoves.Kind.BATCH, key, next,
                                    () -> new ApiException(402, "Payment required", "unlocking episodes " + numbers
                                            + " costs " + price + " coins and your balance is " + balance.total())
                                            .with("price", price).with("balance", balance.total()))
                            .map(c -> new Result(seriesId, numbers, full, price, c.spent().paid(), c.spent().bonus(),
                                    c.after().paid(), c.after().bonus(), c.after().total()));
                }));
    }
}

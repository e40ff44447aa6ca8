package com.microdrama.paywall;

import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * "Unlock the next N episodes" at a discount: all of them or none, in one transaction, under the wallet's row
 * lock and the same idempotency rules as single unlocks.
 */
@ApplicationScoped
public class BatchUnlockService {

    private final Pool pool;
    private final PaywallConfig config;
    private final EntitlementCache cache;
    private final PaywallMetrics metrics;

    BatchUnlockService(Pool pool, PaywallConfig config, EntitlementCache cache, PaywallMetrics metrics) {
        this.pool = pool;
        this.config = config;
        this.cache = cache;
        this.metrics = metrics;
    }

    public record Result(UUID seriesId, List<Integer> numbers, long fullPrice, long price, long chargedPaid,
                         long chargedBonus, long paid, long bonus, long total) {

        JsonObject toJson() {
            return JsonObject.mapFrom(this);
        }
    }

    public Uni<Result> unlockNext(String viewerId, UUID seriesId, int count, String key) {
        String request = "batch:" + seriesId + ":" + count;
        return pool.withTransaction(tx -> IdempotencyKeys.claim(tx, viewerId, key, request)
                        .flatMap(stored -> stored.isPresent()
                                ? Uni.createFrom().item(stored.get().mapTo(Result.class))
                                : perform(tx, viewerId, seriesId, count, key).call(result ->
                                        IdempotencyKeys.store(tx, viewerId, key, result.toJson()))
                                // Counted just before the commit: a replayed key returns above and is not counted.
                                .invoke(result -> metrics.unlocked("batch", result.numbers().size(),
                                        result.chargedPaid(), result.chargedBonus()))))
                .call(result -> {
                    Uni<Void> writes = Uni.createFrom().voidItem();
                    for (int number : result.numbers()) {
                        writes = writes.call(() -> cache.unlocked(viewerId, seriesId, number));
                    }
                    return writes;
                });
    }

    private Uni<Result> perform(SqlClient tx, String viewerId, UUID seriesId, int count, String key) {
        return WalletService.ensureWallet(tx, viewerId)
                .flatMap(x -> tx.preparedQuery("select paid_coins, bonus_coins from wallet where viewer_id = $1 for update")
                        .execute(Tuple.of(viewerId)))
                .flatMap(wallet -> {
                    Row w = wallet.iterator().next();
                    Balance balance = new Balance(w.getLong("paid_coins"), w.getLong("bonus_coins"));
                    return tx.preparedQuery("""
                                    select e.id, e.number, coalesce(e.price_override, s.coin_price) as price
                                    from episode e join series s on s.id = e.series_id
                                    where s.id = $2 and s.status <> 'draft' and e.published and e.current_version_id is not null
                                      and e.number > s.free_episode_count and coalesce(e.price_override, s.coin_price) > 0
                                      and not exists (select 1 from unlock u where u.viewer_id = $1 and u.episode_id = e.id)
                                    order by e.number limit $3
                                    """).execute(Tuple.of(viewerId, seriesId, count))
                            .flatMap(rows -> {
                                List<UUID> ids = new ArrayList<>();
                                List<Integer> numbers = new ArrayList<>();
                                long sum = 0;
                                for (Row r : rows) {
                                    ids.add(r.getUUID("id"));
                                    numbers.add(r.getInteger("number"));
                                    sum += r.getLong("price");
                                }
                                long full = sum;
                                if (ids.isEmpty()) {
                                    throw ApiException.conflict("no locked episode is left to unlock in this series");
                                }
                                long price = full - full * config.batchDiscountPercent() / 100;
                                if (balance.total() < price) {
                                    throw new ApiException(402, "Payment required", "unlocking episodes " + numbers
                                            + " costs " + price + " coins and your balance is " + balance.total())
                                            .with("price", price).with("balance", balance.total());
                                }
                                Balance spent = balance.charge(price);
                                Balance after = balance.minus(spent);
                                return tx.preparedQuery("""
                                                with debit as (
                                                    update wallet set paid_coins = $2, bonus_coins = $3, updated_at = now()
                                                    where viewer_id = $1 returning viewer_id
                                                ), entry as (
                                                    insert into ledger (viewer_id, paid_delta, bonus_delta, reason, reference)
                                                    select viewer_id, $4, $5, 'batch_unlock', $6 from debit returning id
                                                )
                                                insert into unlock (viewer_id, episode_id, method, ledger_id)
                                                select $1, episode, 'batch', entry.id from entry, unnest($7::uuid[]) as episode
                                                """).execute(Tuple.from(List.of(viewerId, after.paid(), after.bonus(),
                                                -spent.paid(), -spent.bonus(), key, ids.toArray(new UUID[0]))))
                                        .map(x -> new Result(seriesId, numbers, full, price, spent.paid(), spent.bonus(),
                                                after.paid(), after.bonus(), after.total()));
                            });
                });
    }

}

package com.microdrama.paywall;

import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The one place where episodes are bought, for single, batch, auto and ad unlocks: the wallet's row lock, the
 * debit with its ledger row and unlock rows, and after the commit the metrics and the cache write-through.
 */
@ApplicationScoped
public class CoinMoves {

    /** How an unlock was paid: the unlock row's method, the ledger row's reason, and the metric's kind. */
    enum Kind {
        COINS("coins", "unlock"), BATCH("batch", "batch_unlock"), AD("ad", null);

        final String method;
        final String reason;

        Kind(String method, String reason) {
            this.method = method;
            this.reason = reason;
        }
    }

    record Charge(Balance spent, Balance after) {
    }

    private final EntitlementCache cache;
    private final EntitlementRepair repairs;
    private final PaywallMetrics metrics;
    private final Event<EpisodesUnlocked> unlockedEvents;

    CoinMoves(EntitlementCache cache, EntitlementRepair repairs, PaywallMetrics metrics,
              Event<EpisodesUnlocked> unlockedEvents) {
        this.repairs = repairs;
        this.cache = cache;
        this.metrics = metrics;
        this.unlockedEvents = unlockedEvents;
    }

    /** Creates the wallet if needed and locks its row: one viewer's unlocks serialise here, so none overspends. */
    Uni<Balance> hold(SqlClient tx, String viewerId) {
        return WalletStore.ensure(tx, viewerId).flatMap(x -> WalletStore.lock(tx, viewerId));
    }

    /**
     * Pays {@code price} for the episodes from a balance read under {@link #hold}, bonus coins first, or fails
     * with {@code refused} when the balance is short, or with a 402 naming the debt while a reversed store
     * purchase leaves the wallet owing coins. A single coin unlock's ledger row names its episode; a batch's
     * carries its idempotency key as {@code reference}.
     */
    Uni<Charge> pay(SqlClient tx, String viewerId, Balance balance, long price, Kind kind, String reference,
                    List<PricedEpisode> episodes, Supplier<ApiException> refused) {
        if (balance.debt() > 0) {
            return Uni.createFrom().failure(inDebt(balance));
        }
        if (balance.total() < price) {
            return Uni.createFrom().failure(refused.get());
        }
        Balance spent = balance.charge(price);
        Balance after = balance.minus(spent);
        UUID ledgerEpisode = kind == Kind.COINS ? episodes.get(0).id() : null;
        return WalletStore.spend(tx, viewerId, spent, after, kind.reason, reference, ledgerEpisode, kind.method, episodes)
                .replaceWith(new Charge(spent, after));
    }

    static ApiException inDebt(Balance balance) {
        return new ApiException(402, "Payment required", "your wallet owes " + balance.debt()
                + " coins from a reversed store purchase: a top-up settles the debt first, then unlocks work again")
                .with("debt", balance.debt())
                .with("balance", balance.total());
    }

    /** An unlock earned without coins (a rewarded ad): no debit, so no ledger row (the ledger refuses empty rows). */
    Uni<Void> grant(SqlClient tx, String viewerId, PricedEpisode episode, Kind kind) {
        return WalletStore.ensure(tx, viewerId).flatMap(x -> WalletStore.unlockFree(tx, viewerId, episode, kind.method));
    }

    /**
     * After the commit of fresh unlocks (a replayed key is not an unlock): counted, announced (asynchronously: a
     * failing observer cannot touch the sale), and written through to the cache; a write that does not reach it
     * is remembered and repaired once Redis is back.
     */
    Uni<Void> committed(String viewerId, Kind kind, UUID seriesId, List<Integer> numbers, Balance spent) {
        metrics.unlocked(kind.method, numbers.size(), spent.paid(), spent.bonus());
        unlockedEvents.fireAsync(new EpisodesUnlocked(viewerId, seriesId, List.copyOf(numbers), kind.method,
                spent.total(), Instant.now()));
        Uni<Void> writes = Uni.createFrom().voidItem();
        for (int number : numbers) {
            writes = writes.call(() -> repairs.writeThrough(cache.unlocked(viewerId, seriesId, number), viewerId, seriesId));
        }
        return writes;
    }
}

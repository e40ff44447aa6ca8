package com.microdrama.paywall;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Coins in, VIP granted: server-to-server calls after a verified store purchase, each idempotent by the store's
 * id. Every change of a balance is a ledger row written in the same transaction, so the balance always equals the
 * ledger's sum.
 */
@ApplicationScoped
public class WalletService {

    private static final int RECENT_LEDGER = 20;

    private final Pool pool;
    private final PaywallConfig config;
    private final EntitlementCache cache;
    private final EntitlementRepair repairs;

    WalletService(Pool pool, PaywallConfig config, EntitlementCache cache, EntitlementRepair repairs) {
        this.repairs = repairs;
        this.pool = pool;
        this.config = config;
        this.cache = cache;
    }

    public record LedgerEntry(long id, long paidDelta, long bonusDelta, long debtDelta, String reason,
                              @Schema(nullable = true) String reference, @Schema(nullable = true) String note, Instant at) {
    }

    /** {@code debt}: coins owed after a reversed store purchase; the next top-up settles it, unlocks wait for it. */
    public record Wallet(String viewerId, long paid, long bonus, long total, long debt,
                         @Schema(nullable = true, description = "until when the VIP pass runs; null without one") Instant vipUntil,
                         List<LedgerEntry> recent) {
    }

    public record TopUp(String viewerId, String purchaseId, String pack, long paidCredited, long bonusCredited,
                        boolean replayed, long paid, long bonus) {
    }

    public Uni<Wallet> wallet(String viewerId) {
        return pool.withTransaction(tx -> WalletStore.ensure(tx, viewerId)
                .flatMap(x -> WalletStore.wallet(tx, viewerId, RECENT_LEDGER)));
    }

    /** Credits a coin pack once per store purchase; a replay answers the original credit. */
    public Uni<TopUp> topUp(String viewerId, String purchaseId, String packId) {
        PaywallConfig.Pack pack = config.packs().get(packId);
        if (pack == null) {
            throw ApiException.badRequest("pack", "is not a coin pack on sale: " + config.packs().keySet());
        }
        Balance credit = new Balance(pack.paid(), pack.bonus());
        return pool.withTransaction(tx -> WalletStore.ensure(tx, viewerId)
                .flatMap(x -> WalletStore.credit(tx, viewerId, purchaseId, credit))
                // A debt left by a reversed purchase is paid from the new coins, in its own ledger row.
                .flatMap(after -> after == null ? Uni.createFrom().<Balance>nullItem()
                        : Debts.settle(tx, viewerId, purchaseId, after))
                .flatMap(after -> after != null
                        ? Uni.createFrom().item(topUp(viewerId, purchaseId, packId, credit, false, after))
                        : WalletStore.pastCredit(tx, viewerId, purchaseId).map(past -> {
                            if (!viewerId.equals(past.viewerId()) || !credit.equals(past.credited())) {
                                throw ApiException.conflict("purchase '" + purchaseId + "' was already credited with other details");
                            }
                            return topUp(viewerId, purchaseId, packId, credit, true, past.wallet());
                        })));
    }

    private static TopUp topUp(String viewerId, String purchaseId, String packId, Balance credit, boolean replayed,
                               Balance wallet) {
        return new TopUp(viewerId, purchaseId, packId, credit.paid(), credit.bonus(), replayed, wallet.paid(), wallet.bonus());
    }

    /** Grants VIP until a date, once per grant id; a grant never shortens a longer VIP already held. */
    public Uni<Instant> grantVip(String viewerId, String grantId, Instant until) {
        if (!until.isAfter(Instant.now())) {
            throw ApiException.badRequest("until", "must be in the future");
        }
        if (until.isAfter(Instant.now().plusSeconds(3L * 366 * 24 * 3600))) {
            throw ApiException.badRequest("until", "is more than 3 years away");
        }
        OffsetDateTime at = until.atOffset(ZoneOffset.UTC);
        return pool.withTransaction(tx -> WalletStore.ensure(tx, viewerId)
                .flatMap(x -> WalletStore.recordGrant(tx, grantId, viewerId, at))
                .flatMap(recorded -> recorded
                        ? WalletStore.extendVip(tx, viewerId, at, grantId)
                        : WalletStore.grant(tx, grantId).invoke(first -> {
                            if (!viewerId.equals(first.viewerId())) {
                                throw ApiException.conflict("grant '" + grantId + "' belongs to another viewer");
                            }
                            // Like a top-up replayed with other details: the store's id names one grant.
                            if (!first.until().equals(at.toInstant().truncatedTo(ChronoUnit.MICROS))) {
                                throw ApiException.conflict("grant '" + grantId + "' was already recorded until "
                                        + first.until() + ", not " + until);
                            }
                        }).replaceWithVoid())
                .flatMap(x -> WalletStore.vipUntil(tx, viewerId)))
                .call(vipUntil -> repairs.writeThrough(cache.vipGranted(viewerId, vipUntil), viewerId, null));
    }

    /** Auto-unlock: asking to play a locked episode unlocks it with coins. */
    public Uni<Boolean> setAutoUnlock(String viewerId, boolean on) {
        return WalletStore.setAutoUnlock(pool, viewerId, on);
    }
}

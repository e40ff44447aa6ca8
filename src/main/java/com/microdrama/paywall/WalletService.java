package com.microdrama.paywall;

import com.microdrama.core.error.ApiException;
import com.microdrama.core.persistence.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

    WalletService(Pool pool, PaywallConfig config, EntitlementCache cache) {
        this.pool = pool;
        this.config = config;
        this.cache = cache;
    }

    public record LedgerEntry(long id, long paidDelta, long bonusDelta, String reason, String reference, Instant at) {
    }

    public record Wallet(String viewerId, long paid, long bonus, long total, Instant vipUntil, List<LedgerEntry> recent) {
    }

    public record TopUp(String viewerId, String purchaseId, String pack, long paidCredited, long bonusCredited,
                        boolean replayed, long paid, long bonus) {
    }

    public Uni<Wallet> wallet(String viewerId) {
        return pool.withTransaction(tx -> ensureWallet(tx, viewerId)
                .flatMap(x -> tx.preparedQuery("select paid_coins, bonus_coins, vip_until from wallet where viewer_id = $1")
                        .execute(Tuple.of(viewerId)))
                .flatMap(rows -> {
                    Row w = rows.iterator().next();
                    return tx.preparedQuery("""
                                    select id, paid_delta, bonus_delta, reason, reference, created_at from ledger
                                    where viewer_id = $1 order by id desc limit $2
                                    """).execute(Tuple.of(viewerId, RECENT_LEDGER))
                            .map(ledger -> {
                                List<LedgerEntry> recent = new ArrayList<>();
                                for (Row r : ledger) {
                                    recent.add(new LedgerEntry(r.getLong("id"), r.getLong("paid_delta"),
                                            r.getLong("bonus_delta"), r.getString("reason"), r.getString("reference"),
                                            r.getOffsetDateTime("created_at").toInstant()));
                                }
                                long paid = w.getLong("paid_coins");
                                long bonus = w.getLong("bonus_coins");
                                return new Wallet(viewerId, paid, bonus, paid + bonus, Rows.instant(w, "vip_until"), recent);
                            });
                }));
    }

    /** Credits a coin pack once per store purchase; a replay answers the original credit. */
    public Uni<TopUp> topUp(String viewerId, String purchaseId, String packId) {
        PaywallConfig.Pack pack = config.packs().get(packId);
        if (pack == null) {
            throw ApiException.badRequest("pack", "is not a coin pack on sale: " + config.packs().keySet());
        }
        return pool.withTransaction(tx -> ensureWallet(tx, viewerId)
                .flatMap(x -> tx.preparedQuery("""
                                insert into ledger (viewer_id, paid_delta, bonus_delta, reason, reference)
                                values ($1, $2, $3, 'topup', $4)
                                on conflict (reference) where reason = 'topup' do nothing
                                returning id
                                """).execute(Tuple.of(viewerId, pack.paid(), pack.bonus(), purchaseId)))
                .flatMap(inserted -> {
                    if (inserted.size() == 0) {
                        return replayTopUp(tx, viewerId, purchaseId, packId, pack);
                    }
                    return tx.preparedQuery("""
                                    update wallet set paid_coins = paid_coins + $2, bonus_coins = bonus_coins + $3,
                                        updated_at = now() where viewer_id = $1 returning paid_coins, bonus_coins
                                    """).execute(Tuple.of(viewerId, pack.paid(), pack.bonus()))
                            .map(rows -> topUp(viewerId, purchaseId, packId, pack, false, rows.iterator().next()));
                }));
    }

    private Uni<TopUp> replayTopUp(SqlClient tx, String viewerId, String purchaseId, String packId, PaywallConfig.Pack pack) {
        return tx.preparedQuery("""
                        select l.viewer_id, l.paid_delta, l.bonus_delta, w.paid_coins, w.bonus_coins
                        from ledger l join wallet w on w.viewer_id = $1
                        where l.reason = 'topup' and l.reference = $2
                        """).execute(Tuple.of(viewerId, purchaseId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    if (!viewerId.equals(r.getString("viewer_id")) || r.getLong("paid_delta") != pack.paid()
                            || r.getLong("bonus_delta") != pack.bonus()) {
                        throw ApiException.conflict("purchase '" + purchaseId + "' was already credited with other details");
                    }
                    return topUp(viewerId, purchaseId, packId, pack, true, r);
                });
    }

    private static TopUp topUp(String viewerId, String purchaseId, String packId, PaywallConfig.Pack pack,
                               boolean replayed, Row wallet) {
        return new TopUp(viewerId, purchaseId, packId, pack.paid(), pack.bonus(), replayed,
                wallet.getLong("paid_coins"), wallet.getLong("bonus_coins"));
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
        return pool.withTransaction(tx -> ensureWallet(tx, viewerId)
                .flatMap(x -> tx.preparedQuery("""
                        insert into vip_grant (grant_id, viewer_id, vip_until) values ($1, $2, $3)
                        on conflict (grant_id) do nothing returning 1
                        """).execute(Tuple.of(grantId, viewerId, at)))
                .flatMap(inserted -> {
                    if (inserted.size() == 0) {
                        return tx.preparedQuery("select viewer_id from vip_grant where grant_id = $1").execute(Tuple.of(grantId))
                                .map(rows -> {
                                    if (!viewerId.equals(rows.iterator().next().getString("viewer_id"))) {
                                        throw ApiException.conflict("grant '" + grantId + "' belongs to another viewer");
                                    }
                                    return null;
                                });
                    }
                    return tx.preparedQuery("""
                            update wallet set vip_until = greatest(coalesce(vip_until, now()), $2), updated_at = now()
                            where viewer_id = $1
                            """).execute(Tuple.of(viewerId, at)).replaceWithNull();
                })
                .flatMap(x -> tx.preparedQuery("select vip_until from wallet where viewer_id = $1").execute(Tuple.of(viewerId)))
                .map(rows -> rows.iterator().next().getOffsetDateTime("vip_until").toInstant()))
                .call(vipUntil -> cache.vipGranted(viewerId, vipUntil));
    }

    /** Auto-unlock: asking to play a locked episode unlocks it with coins. */
    public Uni<Boolean> setAutoUnlock(String viewerId, boolean on) {
        return pool.preparedQuery("""
                        insert into wallet (viewer_id, auto_unlock) values ($1, $2)
                        on conflict (viewer_id) do update set auto_unlock = excluded.auto_unlock, updated_at = now()
                        returning auto_unlock
                        """).execute(Tuple.of(viewerId, on))
                .map(rows -> rows.iterator().next().getBoolean("auto_unlock"));
    }

    static Uni<?> ensureWallet(SqlClient tx, String viewerId) {
        return tx.preparedQuery("insert into wallet (viewer_id) values ($1) on conflict do nothing").execute(Tuple.of(viewerId));
    }
}

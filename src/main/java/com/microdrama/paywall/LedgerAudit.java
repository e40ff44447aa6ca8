package com.microdrama.paywall;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import static com.microdrama.core.persistence.Rows.instant;
import static com.microdrama.core.persistence.Rows.stream;

import com.microdrama.core.error.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Money an operator can audit: a viewer's whole ledger with its reasons, adjustments that are ledger rows like any
 * other, and the reconciliation that proves every wallet equals its ledger and every unlock was paid for.
 */
@ApplicationScoped
public class LedgerAudit {

    /** Wallets listed in a reconciliation report at most; the count covers them all. */
    private static final int REPORTED = 100;

    public record Entry(long id, long paidDelta, long bonusDelta, long debtDelta, String reason, @Schema(nullable = true) String reference,
                        @Schema(nullable = true) String note, @Schema(nullable = true) UUID episodeId, Instant at) {
    }

    public record ViewerLedger(String viewerId, long paid, long bonus, long debt, @Schema(nullable = true) Instant vipUntil,
                               List<Entry> entries, @Schema(nullable = true) String nextCursor) {
    }

    /** A wallet whose columns differ from the sums of its ledger rows. */
    public record WalletOff(String viewerId, long paid, long ledgerPaid, long bonus, long ledgerBonus, long debt,
                            long ledgerDebt) {
    }

    /**
     * {@code unpaidUnlocks}: coin unlocks without their ledger row, ad unlocks without their ad reward.
     * {@code clean} is true when both lists are empty.
     */
    public record Report(Instant checkedAt, long wallets, long walletsOffCount, List<WalletOff> walletsOff,
                         long unpaidUnlocks, boolean clean) {
    }

    private final Pool pool;
    private final AtomicLong walletsOff = new AtomicLong();
    private final AtomicLong unpaidUnlocks = new AtomicLong();

    LedgerAudit(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        registry.gauge("paywall.reconciliation.wallets.off", walletsOff);
        registry.gauge("paywall.reconciliation.unpaid.unlocks", unpaidUnlocks);
    }

    /** Newest first; {@code before} is the id the previous page's cursor carries. */
    public Uni<ViewerLedger> ledger(String viewerId, Long before, int limit) {
        return pool.preparedQuery("select paid_coins, bonus_coins, debt_coins, vip_until from wallet where viewer_id = $1")
                .execute(Tuple.of(viewerId))
                .flatMap(wallets -> {
                    if (wallets.size() == 0) {
                        throw ApiException.notFound("wallet", viewerId);
                    }
                    Row w = wallets.iterator().next();
                    return pool.preparedQuery("""
                                    select id, paid_delta, bonus_delta, debt_delta, reason, reference, note, episode_id,
                                        created_at
                                    from ledger where viewer_id = $1 and ($2::bigint is null or id < $2)
                                    order by id desc limit $3
                                    """).execute(Tuple.of(viewerId, before, limit + 1))
                            .map(rows -> {
                                List<Entry> entries = stream(rows).map(LedgerAudit::entry).toList();
                                String next = null;
                                if (entries.size() > limit) {
                                    entries = entries.subList(0, limit);
                                    next = Long.toString(entries.get(limit - 1).id());
                                }
                                return new ViewerLedger(viewerId, w.getLong("paid_coins"), w.getLong("bonus_coins"),
                                        w.getLong("debt_coins"), instant(w, "vip_until"), entries, next);
                            });
                });
    }

    /**
     * An operator's correction: a ledger row (reason 'adjustment', the operator as reference, their reason as
     * note) written with the wallet change under the wallet's row lock. A balance never goes below zero.
     */
    public Uni<Entry> adjust(String viewerId, String operatorId, long paidDelta, long bonusDelta, String reason) {
        if (paidDelta == 0 && bonusDelta == 0) {
            throw ApiException.badRequest("paidDelta", "an adjustment moves coins: paidDelta or bonusDelta must not be 0");
        }
        if (reason == null || reason.isBlank() || reason.length() > 500) {
            throw ApiException.badRequest("reason", "is required (1 to 500 characters): say why the coins move");
        }
        return pool.withTransaction(tx -> WalletStore.ensure(tx, viewerId)
                .flatMap(x -> WalletStore.lock(tx, viewerId))
                .flatMap(balance -> {
                    if (balance.paid() + paidDelta < 0 || balance.bonus() + bonusDelta < 0) {
                        throw ApiException.conflict("the wallet holds " + balance.paid() + " paid and " + balance.bonus()
                                + " bonus coins; this adjustment would take it below zero");
                    }
                    return tx.preparedQuery("""
                                    with moved as (
                                        update wallet set paid_coins = paid_coins + $2, bonus_coins = bonus_coins + $3,
                                            updated_at = now()
                                        where viewer_id = $1 returning viewer_id
                                    )
                                    insert into ledger (viewer_id, paid_delta, bonus_delta, reason, reference, note)
                                    select viewer_id, $2, $3, 'adjustment', $4, $5 from moved
                                    returning id, paid_delta, bonus_delta, debt_delta, reason, reference, note,
                                        episode_id, created_at
                                    """).execute(Tuple.of(viewerId, paidDelta, bonusDelta, operatorId, reason.strip()))
                            .map(rows -> entry(rows.iterator().next()));
                }))
                .invoke(e -> Log.infof("Operator %s adjusted wallet %s by %d paid, %d bonus: %s", operatorId, viewerId,
                        paidDelta, bonusDelta, reason));
    }

    /**
     * Every wallet against the sums of its ledger rows (paid, bonus and debt), and every unlock against what paid
     * for it. A full scan, run by operators and on a schedule; its figures are the reconciliation gauges.
     */
    public Uni<Report> reconcile() {
        Uni<List<Row>> off = pool.preparedQuery("""
                        with sums as (
                            select viewer_id, sum(paid_delta) as paid, sum(bonus_delta) as bonus, sum(debt_delta) as debt
                            from ledger group by viewer_id
                        )
                        select w.viewer_id, w.paid_coins, coalesce(s.paid, 0)::bigint as ledger_paid, w.bonus_coins,
                               coalesce(s.bonus, 0)::bigint as ledger_bonus, w.debt_coins,
                               coalesce(s.debt, 0)::bigint as ledger_debt, count(*) over () as total
                        from wallet w left join sums s on s.viewer_id = w.viewer_id
                        where w.paid_coins <> coalesce(s.paid, 0) or w.bonus_coins <> coalesce(s.bonus, 0)
                           or w.debt_coins <> coalesce(s.debt, 0)
                        order by w.viewer_id limit $1
                        """).execute(Tuple.of(REPORTED)).map(rows -> stream(rows).toList());
        Uni<Row> counts = pool.query("""
                select (select count(*) from wallet) as wallets,
                       (select count(*) from unlock u
                        where (u.method in ('coins', 'batch') and not exists (select 1 from ledger l
                                   where l.id = u.ledger_id and l.viewer_id = u.viewer_id
                                     and l.reason in ('unlock', 'batch_unlock')))
                           or (u.method = 'ad' and not exists (select 1 from ad_reward a
                                   where a.viewer_id = u.viewer_id and a.episode_id = u.episode_id))) as unpaid
                """).execute().map(rows -> rows.iterator().next());
        return Uni.combine().all().unis(off, counts).asTuple().map(t -> {
            List<WalletOff> wrong = t.getItem1().stream().map(r -> new WalletOff(r.getString("viewer_id"),
                    r.getLong("paid_coins"), r.getLong("ledger_paid"), r.getLong("bonus_coins"),
                    r.getLong("ledger_bonus"), r.getLong("debt_coins"), r.getLong("ledger_debt"))).toList();
            long wrongCount = t.getItem1().isEmpty() ? 0 : t.getItem1().get(0).getLong("total");
            long unpaid = t.getItem2().getLong("unpaid");
            walletsOff.set(wrongCount);
            unpaidUnlocks.set(unpaid);
            if (wrongCount > 0 || unpaid > 0) {
                Log.errorf("Reconciliation: %d wallet(s) differ from their ledger, %d unlock(s) without payment: %s",
                        wrongCount, unpaid, wrong.stream().map(WalletOff::viewerId).limit(10).toList());
            }
            return new Report(Instant.now(), t.getItem2().getLong("wallets"), wrongCount, wrong, unpaid,
                    wrongCount == 0 && unpaid == 0);
        });
    }

    /** Keeps the gauges current between operators' checks. */
    @Scheduled(every = "${paywall.reconcile-every:10m}", delayed = "${paywall.reconcile-every:10m}")
    Uni<Void> reconcileOnSchedule() {
        return reconcile().replaceWithVoid();
    }

    private static Entry entry(Row r) {
        return new Entry(r.getLong("id"), r.getLong("paid_delta"), r.getLong("bonus_delta"), r.getLong("debt_delta"),
                r.getString("reason"), r.getString("reference"), r.getString("note"), r.getUUID("episode_id"),
                instant(r, "created_at"));
    }
}

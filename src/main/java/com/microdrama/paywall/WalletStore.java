package com.microdrama.paywall;

import com.microdrama.core.persistence.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The paywall's SQL on a viewer's account: wallet, ledger, unlock and vip_grant. Each method is one statement on
 * the client it is given, so a caller's transaction decides what commits together.
 */
final class WalletStore {

    private WalletStore() {
    }

    /** What a viewer holds that decides one episode: VIP, an unlock of it, coins, and the auto-unlock setting. */
    record Standing(boolean vip, boolean unlocked, Balance balance, boolean autoUnlock) {
    }

    /** A viewer's VIP expiry (empty: none) and unlocked episode numbers in one series. */
    record SeriesUnlocks(Optional<Instant> vipUntil, Set<Integer> numbers) {
    }

    /** A top-up already in the ledger, with the wallet as it is now. */
    record PastCredit(String viewerId, Balance credited, Balance wallet) {
    }

    static Uni<Void> ensure(SqlClient client, String viewerId) {
        return client.preparedQuery("insert into wallet (viewer_id) values ($1) on conflict do nothing")
                .execute(Tuple.of(viewerId)).replaceWithVoid();
    }

    /** The balance and debt under the wallet's row lock, held until the transaction ends. */
    static Uni<Balance> lock(SqlClient tx, String viewerId) {
        return tx.preparedQuery("select paid_coins, bonus_coins, debt_coins from wallet where viewer_id = $1 for update")
                .execute(Tuple.of(viewerId)).map(rows -> balance(rows.iterator().next()));
    }

    /** One query; a viewer without a wallet stands with nothing. */
    static Uni<Standing> standing(SqlClient client, String viewerId, UUID episodeId) {
        return client.preparedQuery("""
                        select coalesce(w.vip_until > now(), false) as vip, coalesce(w.paid_coins, 0) as paid_coins,
                               coalesce(w.bonus_coins, 0) as bonus_coins, coalesce(w.debt_coins, 0) as debt_coins,
                               coalesce(w.auto_unlock, false) as auto_unlock,
                               exists (select 1 from unlock u where u.viewer_id = $1 and u.episode_id = $2) as unlocked
                        from (values (1)) as one left join wallet w on w.viewer_id = $1
                        """).execute(Tuple.of(viewerId, episodeId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Standing(r.getBoolean("vip"), r.getBoolean("unlocked"), balance(r), r.getBoolean("auto_unlock"));
                });
    }

    /** One viewer's in one series (inside a batch unlock's transaction). */
    static Uni<SeriesUnlocks> seriesUnlocks(SqlClient client, String viewerId, UUID seriesId) {
        return seriesUnlocks(client, List.of(viewerId), List.of(seriesId)).map(found -> found.get(0));
    }

    /** The VIP expiry and unlocked numbers of many viewers, each in one series, in one statement, in their order. */
    static Uni<List<SeriesUnlocks>> seriesUnlocks(SqlClient client, List<String> viewerIds, List<UUID> seriesIds) {
        return client.preparedQuery("""
                        select w.vip_until,
                               array(select episode_number from unlock u
                                     where u.viewer_id = k.viewer_id and u.series_id = k.series_id) as unlocked
                        from unnest($1::text[], $2::uuid[]) with ordinality as k (viewer_id, series_id, i)
                        left join wallet w on w.viewer_id = k.viewer_id
                        order by k.i
                        """).execute(Tuple.of(viewerIds.toArray(String[]::new), seriesIds.toArray(UUID[]::new)))
                .map(rows -> {
                    List<SeriesUnlocks> found = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        found.add(new SeriesUnlocks(Optional.ofNullable(Rows.instant(r, "vip_until")),
                                new HashSet<>(Arrays.asList(r.getArrayOfIntegers("unlocked")))));
                    }
                    return found;
                });
    }

    /**
     * Debit, ledger row and unlock rows in one statement: the wallet takes {@code after}, the ledger records
     * {@code spent} as negative deltas, and every unlock row points at that ledger row.
     */
    static Uni<Void> spend(SqlClient tx, String viewerId, Balance spent, Balance after, String reason, String reference,
                           UUID ledgerEpisodeId, String method, List<PricedEpisode> episodes) {
        return tx.preparedQuery("""
                        with debit as (
                            update wallet set paid_coins = $2, bonus_coins = $3, updated_at = now()
                            where viewer_id = $1 returning viewer_id
                        ), entry as (
                            insert into ledger (viewer_id, paid_delta, bonus_delta, reason, reference, episode_id)
                            select viewer_id, $4, $5, $6, $7, $8 from debit returning id
                        )
                        insert into unlock (viewer_id, episode_id, series_id, episode_number, method, ledger_id)
                        select $1, e.id, e.series_id, e.number, $9, entry.id
                        from entry, unnest($10::uuid[], $11::uuid[], $12::int[]) as e (id, series_id, number)
                        """).execute(Tuple.from(Arrays.asList(viewerId, after.paid(), after.bonus(), -spent.paid(),
                        -spent.bonus(), reason, reference, ledgerEpisodeId, method,
                        episodes.stream().map(PricedEpisode::id).toArray(UUID[]::new),
                        episodes.stream().map(PricedEpisode::seriesId).toArray(UUID[]::new),
                        episodes.stream().map(PricedEpisode::number).toArray(Integer[]::new))))
                .replaceWithVoid();
    }

    /** An unlock that cost no coins, so it has no ledger row; an episode unlocked before stays as it was. */
    static Uni<Void> unlockFree(SqlClient tx, String viewerId, PricedEpisode episode, String method) {
        return tx.preparedQuery("""
                        insert into unlock (viewer_id, episode_id, series_id, episode_number, method)
                        values ($1, $2, $3, $4, $5) on conflict do nothing
                        """).execute(Tuple.of(viewerId, episode.id(), episode.seriesId(), episode.number(), method))
                .replaceWithVoid();
    }

    /** The wallet with its most recent ledger rows, newest first. */
    static Uni<WalletService.Wallet> wallet(SqlClient client, String viewerId, int recent) {
        return client.preparedQuery("select paid_coins, bonus_coins, debt_coins, vip_until from wallet where viewer_id = $1")
                .execute(Tuple.of(viewerId))
                .flatMap(wallets -> client.preparedQuery("""
                                select id, paid_delta, bonus_delta, debt_delta, reason, reference, note, created_at from ledger
                                where viewer_id = $1 order by id desc limit $2
                                """).execute(Tuple.of(viewerId, recent))
                        .map(ledger -> {
                            Row w = wallets.iterator().next();
                            Balance b = balance(w);
                            return new WalletService.Wallet(viewerId, b.paid(), b.bonus(), b.total(), b.debt(),
                                    Rows.instant(w, "vip_until"), Rows.stream(ledger).map(r -> new WalletService.LedgerEntry(
                                            r.getLong("id"), r.getLong("paid_delta"), r.getLong("bonus_delta"),
                                            r.getLong("debt_delta"), r.getString("reason"), r.getString("reference"),
                                            r.getString("note"), Rows.instant(r, "created_at")))
                                    .toList());
                        }));
    }

    /** Credits a store purchase once: the new balance, or a null item when the purchase was credited before. */
    static Uni<Balance> credit(SqlClient tx, String viewerId, String purchaseId, Balance credit) {
        return tx.preparedQuery("""
                        insert into ledger (viewer_id, paid_delta, bonus_delta, reason, reference)
                        values ($1, $2, $3, 'topup', $4)
                        on conflict (reference) where reason = 'topup' do nothing
                        returning id
                        """).execute(Tuple.of(viewerId, credit.paid(), credit.bonus(), purchaseId))
                .flatMap(inserted -> inserted.size() == 0 ? Uni.createFrom().nullItem() : tx.preparedQuery("""
                                update wallet set paid_coins = paid_coins + $2, bonus_coins = bonus_coins + $3,
                                    updated_at = now() where viewer_id = $1 returning paid_coins, bonus_coins, debt_coins
                                """).execute(Tuple.of(viewerId, credit.paid(), credit.bonus()))
                        .map(rows -> balance(rows.iterator().next())));
    }

    static Uni<PastCredit> pastCredit(SqlClient client, String viewerId, String purchaseId) {
        return client.preparedQuery("""
                        select l.viewer_id, l.paid_delta, l.bonus_delta, w.paid_coins, w.bonus_coins, w.debt_coins
                        from ledger l join wallet w on w.viewer_id = $1
                        where l.reason = 'topup' and l.reference = $2
                        """).execute(Tuple.of(viewerId, purchaseId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new PastCredit(r.getString("viewer_id"),
                            new Balance(r.getLong("paid_delta"), r.getLong("bonus_delta")), balance(r));
                });
    }

    /** Records a VIP grant once by its id; false when the id was recorded before. */
    static Uni<Boolean> recordGrant(SqlClient tx, String grantId, String viewerId, OffsetDateTime until) {
        return tx.preparedQuery("""
                        insert into vip_grant (grant_id, viewer_id, vip_until) values ($1, $2, $3)
                        on conflict (grant_id) do nothing returning 1
                        """).execute(Tuple.of(grantId, viewerId, until))
                .map(inserted -> inserted.size() > 0);
    }

    /** A VIP grant as first recorded. */
    record Grant(String viewerId, Instant until) {
    }

    static Uni<Grant> grant(SqlClient client, String grantId) {
        return client.preparedQuery("select viewer_id, vip_until from vip_grant where grant_id = $1").execute(Tuple.of(grantId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Grant(r.getString("viewer_id"), Rows.instant(r, "vip_until"));
                });
    }

    /** A grant never shortens a longer VIP already held; like every change of a pass, it is a ledger row. */
    static Uni<Void> extendVip(SqlClient tx, String viewerId, OffsetDateTime until, String grantId) {
        return tx.preparedQuery("""
                        with changed as (
                            update wallet set vip_until = greatest(coalesce(vip_until, now()), $2), updated_at = now()
                            where viewer_id = $1 returning viewer_id, vip_until
                        )
                        insert into ledger (viewer_id, paid_delta, bonus_delta, reason, reference, note)
                        select viewer_id, 0, 0, 'vip_grant', $3, vip_until::text from changed
                        """).execute(Tuple.of(viewerId, until, grantId)).replaceWithVoid();
    }

    static Uni<Instant> vipUntil(SqlClient client, String viewerId) {
        return client.preparedQuery("select vip_until from wallet where viewer_id = $1").execute(Tuple.of(viewerId))
                .map(rows -> Rows.instant(rows.iterator().next(), "vip_until"));
    }

    static Uni<Boolean> setAutoUnlock(SqlClient client, String viewerId, boolean on) {
        return client.preparedQuery("""
                        insert into wallet (viewer_id, auto_unlock) values ($1, $2)
                        on conflict (viewer_id) do update set auto_unlock = excluded.auto_unlock, updated_at = now()
                        returning auto_unlock
                        """).execute(Tuple.of(viewerId, on))
                .map(rows -> rows.iterator().next().getBoolean("auto_unlock"));
    }

    static Balance balance(Row r) {
        return new Balance(r.getLong("paid_coins"), r.getLong("bonus_coins"), r.getLong("debt_coins"));
    }
}

package com.microdrama.paywall;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.core.error.ApiException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;

/**
 * The stores' notifications after a purchase: refunds and chargebacks of top-ups, VIP renewals, lapses and
 * revocations. Each is handled once per store event id (a replay answers the stored result), in one transaction
 * under the wallet's row lock, and each change is a ledger row.
 */
@ApplicationScoped
public class StoreEventService {

    private final Pool pool;
    private final EntitlementCache cache;
    private final EntitlementRepair repairs;

    StoreEventService(Pool pool, EntitlementCache cache, EntitlementRepair repairs) {
        this.repairs = repairs;
        this.pool = pool;
        this.cache = cache;
    }

    /**
     * A reversal's answer: the coins taken back, the part that became debt, and the wallet after the event.
     * {@code alreadyReversed}: the purchase had been reversed by another event, and nothing was taken.
     */
    public record Reversal(String eventId, String viewerId, String purchaseId, String kind, boolean replayed,
                           boolean alreadyReversed, long paidReversed, long bonusReversed, long debtAdded, long paid,
                           long bonus, long debt) {

        JsonObject toJson() {
            return JsonObject.mapFrom(this);
        }

        Reversal asReplay() {
            return new Reversal(eventId, viewerId, purchaseId, kind, true, alreadyReversed, paidReversed, bonusReversed,
                    debtAdded, paid, bonus, debt);
        }
    }

    /** A VIP event's answer: the pass's expiry after it (null: none). */
    public record VipChange(String eventId, String viewerId, String type, boolean replayed, @Schema(nullable = true) Instant vipUntil) {

        JsonObject toJson() {
            return new JsonObject().put("eventId", eventId).put("viewerId", viewerId).put("type", type)
                    .put("vipUntil", vipUntil == null ? null : vipUntil.toString());
        }

        static VipChange replayOf(JsonObject json) {
            String until = json.getString("vipUntil");
            return new VipChange(json.getString("eventId"), json.getString("viewerId"), json.getString("type"), true,
                    until == null ? null : Instant.parse(until));
        }
    }

    /** Takes back what a top-up credited ({@code kind}: refund or chargeback); what was spent already is owed. */
    public Uni<Reversal> reverse(String eventId, String viewerId, String purchaseId, String kind) {
        JsonObject request = new JsonObject().put("purchaseId", purchaseId);
        return once(eventId, kind, viewerId, request, json -> json.mapTo(Reversal.class).asReplay(), Reversal::toJson,
                tx -> StoreEventStore.purchase(tx, purchaseId).flatMap(purchase -> {
                    if (purchase.isEmpty()) {
                        throw ApiException.notFound("purchase", purchaseId);
                    }
                    if (!viewerId.equals(purchase.get().viewerId())) {
                        throw ApiException.conflict("purchase '" + purchaseId + "' was credited to another viewer");
                    }
                    // Under the wallet's lock a second reversal of the purchase, whatever its event id, sees the first.
                    return WalletStore.lock(tx, viewerId).flatMap(wallet -> StoreEventStore.reversal(tx, purchaseId)
                            .flatMap(earlier -> earlier != null
                                    ? Uni.createFrom().item(new Reversal(eventId, viewerId, purchaseId, kind, false,
                                            true, 0, 0, 0, wallet.paid(), wallet.bonus(), wallet.debt()))
                                    : takeBack(tx, eventId, viewerId, purchaseId, kind, wallet,
                                            purchase.get().credited())));
                }));
    }

    private Uni<Reversal> takeBack(SqlClient tx, String eventId, String viewerId, String purchaseId, String kind,
                                   Balance wallet, Balance credited) {
        Debts.Reversal r = Debts.reversal(wallet, credited);
        Balance after = new Balance(wallet.paid() - r.taken().paid(), wallet.bonus() - r.taken().bonus(),
                wallet.debt() + r.debt());
        Log.infof("Store %s of purchase %s for viewer %s: %d paid and %d bonus coins taken back, %d owed",
                kind, purchaseId, viewerId, r.taken().paid(), r.taken().bonus(), r.debt());
        return StoreEventStore.move(tx, viewerId, after, new Balance(-r.taken().paid(), -r.taken().bonus()), r.debt(),
                        kind, purchaseId, "store event " + eventId)
                .replaceWith(new Reversal(eventId, viewerId, purchaseId, kind, false, false, r.taken().paid(),
                        r.taken().bonus(), r.debt(), after.paid(), after.bonus(), after.debt()));
    }

    /**
     * renew: the pass runs at least until {@code until} (never shortened); lapse: it ends at {@code until} (null:
     * now) if it ran longer; revoke: it ends now. After the commit the new expiry is written to the cache.
     */
    public Uni<VipChange> vipEvent(String eventId, String viewerId, String type, Instant until) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant at = until == null ? null : until.truncatedTo(ChronoUnit.MICROS);
        switch (type) {
            case "renew" -> {
                if (at == null) {
                    throw ApiException.badRequest("until", "is required for a renewal");
                }
            }
            case "lapse" -> {
            }
            case "revoke" -> {
                if (at != null) {
                    throw ApiException.badRequest("until", "is not taken by a revocation, which ends the pass now");
                }
            }
            default -> throw ApiException.badRequest("type", "must be renew, lapse or revoke");
        }
        JsonObject request = new JsonObject().put("until", at == null ? null : at.toString());
        String reason = "vip_" + type;
        // Dates are checked for a new event only: a replay sent after its renewal date still answers what it did.
        return once(eventId, reason, viewerId, request, VipChange::replayOf, VipChange::toJson,
                tx -> checkRenewal(type, at, now).flatMap(x -> WalletStore.ensure(tx, viewerId))
                        .flatMap(x -> StoreEventStore.lockVip(tx, viewerId))
                        .flatMap(current -> {
                            Optional<Instant> next = nextExpiry(type, current, at == null ? now : at);
                            return StoreEventStore.setVip(tx, viewerId, next, reason, eventId)
                                    .replaceWith(new VipChange(eventId, viewerId, type, false, next.orElse(null)));
                        }))
                .call(change -> change.replayed() ? Uni.createFrom().voidItem() : writeThrough(viewerId, change));
    }

    private static Uni<Void> checkRenewal(String type, Instant until, Instant now) {
        if (!type.equals("renew") || until.isAfter(now) && !until.isAfter(now.plus(3 * 366, ChronoUnit.DAYS))) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().failure(ApiException.badRequest("until",
                until.isAfter(now) ? "is more than 3 years away" : "must be in the future"));
    }

    static Optional<Instant> nextExpiry(String type, Optional<Instant> current, Instant at) {
        if (type.equals("renew")) {
            return Optional.of(current.filter(c -> c.isAfter(at)).orElse(at));
        }
        return current.map(c -> c.isAfter(at) ? at : c);
    }

    /**
     * The cache may hold a longer pass than the one just committed. Once written, PostgreSQL is read again: if
     * another event committed in between and its write-through was overtaken by this one, the key is dropped and
     * the next read refills it from PostgreSQL.
     */
    private Uni<Void> writeThrough(String viewerId, VipChange change) {
        Optional<Instant> written = Optional.ofNullable(change.vipUntil());
        return repairs.writeThrough(cache.vipChanged(viewerId, written)
                .flatMap(reached -> !reached ? Uni.createFrom().item(false) : StoreEventStore.vipUntil(pool, viewerId)
                        .flatMap(now -> now.equals(written) ? Uni.createFrom().item(true) : cache.forgetVip(viewerId))),
                viewerId, null);
    }

    /**
     * Runs {@code handle} once per event id in one transaction and stores its answer with the id; a replay with
     * the same kind, viewer and details answers the stored one, with other details it is a conflict. A failure
     * rolls the claim back, so the store can send the event again.
     */
    private <T> Uni<T> once(String eventId, String kind, String viewerId, JsonObject request,
                            Function<JsonObject, T> replay, Function<T, JsonObject> stored,
                            Function<SqlClient, Uni<T>> handle) {
        return pool.withTransaction(tx -> StoreEventStore.claim(tx, eventId, kind, viewerId, request)
                .flatMap(seen -> {
                    if (seen.isEmpty()) {
                        return handle.apply(tx)
                                .call(result -> StoreEventStore.answer(tx, eventId, stored.apply(result)));
                    }
                    if (!seen.get().same()) {
                        return Uni.createFrom().failure(conflict(eventId));
                    }
                    return Uni.createFrom().item(replay.apply(seen.get().result()));
                }));
    }

    private static ApiException conflict(String eventId) {
        return ApiException.conflict("store event '" + eventId + "' was already received with other details");
    }
}

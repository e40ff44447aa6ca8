package com.microdrama.paywall;

import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Who may watch what: free episodes, a running VIP pass, or an unlock. PostgreSQL is the truth. */
@ApplicationScoped
public class EntitlementService {

    private final Pool pool;
    private final PricedEpisodes episodes;
    private final EntitlementCache cache;
    private final SeriesUnlockReads unlockReads;

    EntitlementService(Pool pool, PricedEpisodes episodes, EntitlementCache cache, SeriesUnlockReads unlockReads) {
        this.pool = pool;
        this.unlockReads = unlockReads;
        this.episodes = episodes;
        this.cache = cache;
    }

    /** From PostgreSQL: the episode from the catalogue, then the viewer's wallet and unlock. */
    public Uni<Entitlement> of(String viewerId, UUID episodeId) {
        return playable(episodeId).flatMap(e -> WalletStore.standing(pool, viewerId, episodeId)
                .map(standing -> Entitlement.of(e, standing)));
    }

    /**
     * For starting playback: the episode from the catalogue, the viewer's unlocks and VIP pass from Redis
     * (PostgreSQL on a miss or when Redis is away). Redis can only lag behind by missing an unlock, never by
     * inventing one, so a "yes" from it is final; a "no" is confirmed by one query on the wallet and unlock, which
     * also reads the balance that a 402 and an auto-unlock need. On the "yes" paths the balance is not read and
     * reported as empty.
     */
    public Uni<Entitlement> forPlayback(String viewerId, UUID episodeId) {
        return episodes.playableCached(episodeId).onItem().ifNull().failWith(() -> ApiException.notFound("episode", episodeId))
                .flatMap(e -> {
                    if (e.free()) {
                        return Uni.createFrom().item(Entitlement.of(e, new WalletStore.Standing(false, false, Balance.EMPTY, false)));
                    }
                    return cache.lookup(viewerId, e.seriesId()).flatMap(known -> {
                        if (known != null && known.complete()) {
                            boolean vip = vipActive(known.vipUntil());
                            return vip || known.unlocked(e.number())
                                    ? Uni.createFrom().item(Entitlement.of(e, new WalletStore.Standing(vip, !vip, Balance.EMPTY, false)))
                                    : WalletStore.standing(pool, viewerId, episodeId).map(standing -> Entitlement.of(e, standing));
                        }
                        return fromDatabase(viewerId, e.seriesId(), known).flatMap(numbers -> {
                            if (numbers == null || numbers.contains(e.number())) {
                                return Uni.createFrom().item(Entitlement.of(e,
                                        new WalletStore.Standing(numbers == null, numbers != null, Balance.EMPTY, false)));
                            }
                            return WalletStore.standing(pool, viewerId, episodeId).map(standing -> Entitlement.of(e, standing));
                        });
                    });
                });
    }

    private Uni<PricedEpisode> playable(UUID episodeId) {
        return episodes.playable(episodeId).onItem().ifNull().failWith(() -> ApiException.notFound("episode", episodeId));
    }

    /**
     * For episode lists: the viewer's unlocked episode numbers in one series (up to maxNumber), or null when a
     * VIP pass covers them all. Redis first; PostgreSQL on a miss or when Redis is away, then Redis is refilled.
     */
    public Uni<Set<Integer>> unlockedNumbers(String viewerId, UUID seriesId, int maxNumber) {
        return cache.lookup(viewerId, seriesId).flatMap(known -> known != null && known.complete()
                ? Uni.createFrom().item(vipActive(known.vipUntil()) ? null : known.unlocked(1, maxNumber))
                : fromDatabase(viewerId, seriesId, known));
    }

    /**
     * The unlocked numbers (null: a VIP pass) from PostgreSQL, where Redis did not know them all; then Redis is
     * refilled. A cached "yes" needs no confirmation, a cached "no" does: Redis can only lag behind by missing an
     * unlock. {@code known} null: Redis did not answer, and is not written to.
     */
    private Uni<Set<Integer>> fromDatabase(String viewerId, UUID seriesId, EntitlementCache.Known known) {
        return unlockReads.read(viewerId, seriesId)
                .call(truth -> known == null ? Uni.createFrom().voidItem()
                        : cache.fill(viewerId, seriesId, truth.numbers(), truth.vipUntil()))
                .map(truth -> vipActive(truth.vipUntil()) ? null : truth.numbers());
    }

    private static boolean vipActive(Optional<Instant> until) {
        return until.map(at -> at.isAfter(Instant.now())).orElse(false);
    }

    /** 402 with what the client needs to offer an unlock. */
    public static ApiException locked(Entitlement e) {
        return new ApiException(402, "Payment required", "episode " + e.number() + " costs " + e.price()
                + " coins and your balance is " + e.balance().total()
                + ": unlock it with POST /api/v1/episodes/" + e.episodeId() + "/unlock, top up, or get VIP")
                .with("price", e.price())
                .with("balance", e.balance().total())
                .with("unlockUrl", "/api/v1/episodes/" + e.episodeId() + "/unlock");
    }
}

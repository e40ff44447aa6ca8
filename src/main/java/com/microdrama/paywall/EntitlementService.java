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
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Who may watch what: free episodes, a running VIP pass, or an unlock. PostgreSQL is the truth. */
@ApplicationScoped
public class EntitlementService {

    static final String ENTITLEMENT = """
            select e.id, e.series_id, e.number, e.current_version_id, e.duration_ms,
                   coalesce(e.price_override, s.coin_price) as price,
                   e.number <= s.free_episode_count or coalesce(e.price_override, s.coin_price) = 0 as free,
                   coalesce((select w.vip_until > now() from wallet w where w.viewer_id = $1), false) as vip,
                   exists (select 1 from unlock u where u.viewer_id = $1 and u.episode_id = e.id) as unlocked,
                   coalesce((select w.paid_coins from wallet w where w.viewer_id = $1), 0) as paid,
                   coalesce((select w.bonus_coins from wallet w where w.viewer_id = $1), 0) as bonus,
                   coalesce((select w.auto_unlock from wallet w where w.viewer_id = $1), false) as auto_unlock
            from episode e join series s on s.id = e.series_id
            where e.id = $2 and e.published and e.current_version_id is not null and s.status <> 'draft'
            """;

    /** The viewer-independent part of {@link #ENTITLEMENT}. */
    private static final String EPISODE = """
            select e.id, e.series_id, e.number, e.current_version_id, e.duration_ms,
                   coalesce(e.price_override, s.coin_price) as price,
                   e.number <= s.free_episode_count or coalesce(e.price_override, s.coin_price) = 0 as free
            from episode e join series s on s.id = e.series_id
            where e.id = $1 and e.published and e.current_version_id is not null and s.status <> 'draft'
            """;

    private final Pool pool;
    private final EntitlementCache cache;

    EntitlementService(Pool pool, EntitlementCache cache) {
        this.pool = pool;
        this.cache = cache;
    }

    public Uni<Entitlement> of(String viewerId, UUID episodeId) {
        return of(pool, viewerId, episodeId);
    }

    static Uni<Entitlement> of(SqlClient client, String viewerId, UUID episodeId) {
        return client.preparedQuery(ENTITLEMENT).execute(Tuple.of(viewerId, episodeId)).map(rows -> {
            if (rows.size() == 0) {
                throw ApiException.notFound("episode", episodeId);
            }
            Row r = rows.iterator().next();
            return new Entitlement(r.getUUID("id"), r.getUUID("series_id"), r.getInteger("number"),
                    r.getUUID("current_version_id"), r.getInteger("duration_ms"), r.getLong("price"),
                    r.getBoolean("free"), r.getBoolean("vip"), r.getBoolean("unlocked"),
                    new Balance(r.getLong("paid"), r.getLong("bonus")), r.getBoolean("auto_unlock"));
        });
    }

    /**
     * For starting playback: the episode from PostgreSQL, the viewer's unlocks and VIP pass from Redis (PostgreSQL
     * on a miss or when Redis is away). Redis can only lag behind by missing an unlock, never by inventing one, so
     * a "yes" from it is final; a "no" is confirmed by {@link #of}, which also reads the balance that a 402 and an
     * auto-unlock need. On the "yes" paths the balance is not read and reported as empty.
     */
    public Uni<Entitlement> forPlayback(String viewerId, UUID episodeId) {
        return pool.preparedQuery(EPISODE).execute(Tuple.of(episodeId)).flatMap(rows -> {
            if (rows.size() == 0) {
                throw ApiException.notFound("episode", episodeId);
            }
            Row r = rows.iterator().next();
            UUID seriesId = r.getUUID("series_id");
            int number = r.getInteger("number");
            boolean free = r.getBoolean("free");
            Uni<Set<Integer>> unlocked = free ? Uni.createFrom().item(Set.of()) : unlockedNumbers(viewerId, seriesId, number);
            return unlocked.flatMap(numbers -> {
                boolean vip = !free && numbers == null;
                boolean mine = numbers != null && numbers.contains(number);
                if (!free && !vip && !mine) {
                    return of(viewerId, episodeId);
                }
                return Uni.createFrom().item(new Entitlement(episodeId, seriesId, number,
                        r.getUUID("current_version_id"), r.getInteger("duration_ms"), r.getLong("price"), free, vip,
                        mine, Balance.EMPTY, false));
            });
        });
    }

    /**
     * For episode lists: the viewer's unlocked episode numbers in one series (up to maxNumber), or null when a
     * VIP pass covers them all. Redis first; PostgreSQL on a miss or when Redis is away, then Redis is refilled.
     */
    public Uni<Set<Integer>> unlockedNumbers(String viewerId, UUID seriesId, int maxNumber) {
        return Uni.combine().all().unis(cache.vipUntil(viewerId), cache.unlockedNumbers(viewerId, seriesId, maxNumber))
                .asTuple()
                .flatMap(cached -> {
                    if (cached.getItem1() != null && cached.getItem2() != null) {
                        return Uni.createFrom().item(vipActive(cached.getItem1()) ? null : cached.getItem2());
                    }
                    return fromDatabase(viewerId, seriesId)
                            .call(truth -> cache.fill(viewerId, seriesId, truth.unlocked(), truth.vipUntil()))
                            .map(truth -> vipActive(truth.vipUntil()) ? null : truth.unlocked());
                });
    }

    private record Truth(Optional<Instant> vipUntil, Set<Integer> unlocked) {
    }

    private Uni<Truth> fromDatabase(String viewerId, UUID seriesId) {
        return pool.preparedQuery("""
                        select (select vip_until from wallet where viewer_id = $1) as vip_until,
                               array(select e.number from unlock u join episode e on e.id = u.episode_id
                                     where u.viewer_id = $1 and e.series_id = $2) as unlocked
                        """).execute(Tuple.of(viewerId, seriesId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    Set<Integer> unlocked = new HashSet<>(java.util.Arrays.asList(r.getArrayOfIntegers("unlocked")));
                    return new Truth(Optional.ofNullable(Rows.instant(r, "vip_until")), unlocked);
                });
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

package com.microdrama.paywall;

import com.microdrama.core.persistence.BatchedReads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.bitmap.ReactiveBitMapCommands;
import io.quarkus.redis.datasource.keys.ReactiveKeyCommands;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Entitlements in Redis: per viewer and series a bitmap of unlocked episode numbers (bit 0 marks a bitmap filled
 * from PostgreSQL, so "nothing unlocked" is a hit, not a miss), per viewer the VIP expiry. Redis is a cache:
 * every call gives up after a short timeout and answers "miss", and callers then ask PostgreSQL; after a failure
 * Redis is left alone for a few seconds (for reads: an error, or timeouts in a row, {@link ReadFailures}). Bits are only
 * ever set (unlocks are permanent), so a fill racing a write-through can never erase an unlock. A VIP expiry can
 * also go down (a store lapse or revocation): a fill never overwrites an expiry already cached, so it cannot put
 * back a pass that a write-through just shortened. A write-through that does not reach Redis reports it, and
 * {@link EntitlementRepair} drops the key once Redis is back.
 * <p>
 * After a write-through that did not reach Redis the cache is not read again until a repair round has found nothing
 * left to repair: when Redis comes back, keys the outage left stale (an unlock it missed) would otherwise be served as
 * they are until the repair reaches them, and an episode list would say "locked" for an unlock already acknowledged.
 * Until then reads go to PostgreSQL, as during the outage. A failed read alone (a timeout, a full client pool) leaves
 * nothing stale: it only backs off. Another API process that saw no failure trusts Redis all along: its only stale
 * keys are ones this process failed to write, dropped by the next repair round (seconds; every process repairs).
 */
@ApplicationScoped
public class EntitlementCache {

    /**
     * How long a Redis command may take before Redis counts as unavailable. It is wall time on a busy event loop,
     * connection set-up and pool wait included: 150 ms tripped under a saturated core (a healthy Redis, its answer
     * waiting behind the loop's backlog) and sent every read to PostgreSQL, which made the backlog worse.
     */
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final Duration TTL = Duration.ofMinutes(10);
    private static final String NO_VIP = "none";
    /** After a failure Redis is left alone this long: an unreachable cache must not cost every request a timeout. */
    private static final Duration BACK_OFF = Duration.ofSeconds(5);
    /** A write-through that failed is remembered in PostgreSQL within this long of the failure. */
    private static final Duration REMEMBERED_WITHIN = Duration.ofSeconds(1);
    /** MGETs under way at once, and lookups one carries at most (each two keys). */
    private static final int LOOKUPS_IN_FLIGHT = 2;
    private static final int LOOKUP_BATCH = 100;

    private final ReactiveBitMapCommands<String> bitmaps;
    private final ReactiveValueCommands<String, String> values;
    private final ReactiveValueCommands<String, byte[]> raw;
    private final ReactiveKeyCommands<String> keys;
    private final ReactiveRedisDataSource redis;
    private final Counter hits;
    private final Counter misses;
    private final ReadFailures readFailures = new ReadFailures();
    private final BatchedReads<ViewerSeries, Known> lookups;
    private volatile long skipUntilNanos = System.nanoTime();
    /** Set by a write that missed Redis; cleared by a repair round begun after it that left nothing to repair. */
    private volatile boolean distrusted;
    private volatile long lastMissedWriteNanos = System.nanoTime() - BACK_OFF.toNanos();

    EntitlementCache(ReactiveRedisDataSource redis, MeterRegistry metrics) {
        this.bitmaps = redis.bitmap(String.class);
        this.values = redis.value(String.class, String.class);
        this.raw = redis.value(String.class, byte[].class);
        this.keys = redis.key(String.class);
        this.redis = redis;
        this.lookups = new BatchedReads<>(LOOKUPS_IN_FLIGHT, LOOKUP_BATCH, this::lookupAll);
        this.hits = metrics.counter("entitlement.cache", "result", "hit");
        this.misses = metrics.counter("entitlement.cache", "result", "miss");
    }

    /**
     * What Redis knows of a viewer's standing in one series (the VIP expiry and the series' bitmap, decoded here), or
     * null when Redis does not answer. {@code vipUntil} null: the expiry is not cached; {@code bitmap} null: the
     * series' unlocks are not (or the bitmap's fill was not finished). Lookups made at the same time share one MGET
     * ({@link BatchedReads}): a playback start or an episode list is one lookup, and under load one command per
     * lookup cost the event loop and Redis more than the lookup itself (docs/benchmarks.md, issue 15).
     */
    public Uni<Known> lookup(String viewerId, UUID seriesId) {
        return guarded(lookups.read(new ViewerSeries(viewerId, seriesId)));
    }

    /** Many viewers' standings in one MGET (two keys each), in their order. */
    private Uni<List<Known>> lookupAll(List<ViewerSeries> asked) {
        String[] keys = new String[asked.size() * 2];
        for (int i = 0; i < asked.size(); i++) {
            keys[2 * i] = vipKey(asked.get(i).viewerId());
            keys[2 * i + 1] = unlockKey(asked.get(i).viewerId(), asked.get(i).seriesId());
        }
        // Its own time limit too: a request that never returns would keep its in-flight slot.
        return raw.mget(keys).ifNoItem().after(TIMEOUT).fail().map(values -> {
            List<Known> found = new ArrayList<>(asked.size());
            for (int i = 0; i < asked.size(); i++) {
                byte[] expiry = values.get(keys[2 * i]);
                byte[] bits = values.get(keys[2 * i + 1]);
                found.add(new Known(expiry == null ? null : vipUntil(new String(expiry, StandardCharsets.US_ASCII)),
                        bits == null || !isSet(bits, 0) ? null : bits));
            }
            return found;
        });
    }

    /** A viewer's standing in one series as cached: see {@link #lookup}. */
    public record Known(Optional<Instant> vipUntil, byte[] bitmap) {

        public boolean complete() {
            return vipUntil != null && bitmap != null;
        }

        public boolean unlocked(int number) {
            return isSet(bitmap, number);
        }

        /** The unlocked numbers among 1..maxNumber. */
        public Set<Integer> unlocked(int from, int maxNumber) {
            Set<Integer> numbers = new HashSet<>();
            for (int n = from; n <= maxNumber; n++) {
                if (isSet(bitmap, n)) {
                    numbers.add(n);
                }
            }
            return numbers;
        }
    }

    /** Redis numbers a string's bits from the most significant bit of its first byte. */
    private static boolean isSet(byte[] bitmap, int bit) {
        int index = bit >>> 3;
        return index < bitmap.length && (bitmap[index] & (0x80 >>> (bit & 7))) != 0;
    }

    private static Optional<Instant> vipUntil(String value) {
        return NO_VIP.equals(value) ? Optional.empty() : Optional.of(Instant.ofEpochSecond(Long.parseLong(value)));
    }

    /**
     * Bit 0, which marks the bitmap as filled, is set last: a fill cut off half-way leaves a miss, never a bitmap
     * that claims to be whole and lacks an unlock.
     */
    public Uni<Void> fill(String viewerId, UUID seriesId, Set<Integer> unlocked, Optional<Instant> vipUntil) {
        String key = unlockKey(viewerId, seriesId);
        Uni<?> chain = Uni.createFrom().voidItem();
        for (int n : unlocked) {
            chain = chain.flatMap(x -> bitmaps.setbit(key, n, 1));
        }
        // A fill cut off leaves a miss (bit 0 unset), nothing stale: not a missed write.
        return quietly(false, chain.flatMap(x -> bitmaps.setbit(key, 0, 1)).flatMap(x -> keys.expire(key, TTL))
                .flatMap(x -> values.set(vipKey(viewerId), vipValue(vipUntil), new SetArgs().nx().ex(TTL))))
                .replaceWithVoid();
    }

    /** After an unlock commits. False when it did not reach Redis. */
    public Uni<Boolean> unlocked(String viewerId, UUID seriesId, int number) {
        String key = unlockKey(viewerId, seriesId);
        return quietly(true, bitmaps.setbit(key, number, 1).flatMap(x -> keys.expire(key, TTL)));
    }

    /** After a VIP grant commits. False when it did not reach Redis. */
    public Uni<Boolean> vipGranted(String viewerId, Instant until) {
        return quietly(true, values.setex(vipKey(viewerId), TTL.toSeconds(), Long.toString(until.getEpochSecond())));
    }

    /**
     * After a store event changed the VIP expiry, maybe lowering it. Unlike other writes it is tried even while
     * Redis is left alone after a failure, and when it fails the key is deleted, so the next read asks PostgreSQL
     * rather than trusting a pass that has ended. False when neither reached Redis (the caller has it repaired).
     */
    public Uni<Boolean> vipChanged(String viewerId, Optional<Instant> until) {
        String key = vipKey(viewerId);
        return values.setex(key, TTL.toSeconds(), vipValue(until)).ifNoItem().after(TIMEOUT).fail()
                .replaceWith(true)
                .onFailure().recoverWithUni(e -> {
                    failed(e);
                    return keys.del(key).ifNoItem().after(TIMEOUT).fail().replaceWith(true);
                })
                .onFailure().recoverWithUni(e -> {
                    Log.warnf("VIP expiry of %s not written to Redis nor deleted, to be repaired: %s", viewerId,
                            e.getMessage());
                    missedWrite();
                    return Uni.createFrom().item(false);
                });
    }

    /** Drops the cached VIP expiry: the next read takes it from PostgreSQL. False when it did not reach Redis. */
    public Uni<Boolean> forgetVip(String viewerId) {
        return forget(viewerId, null);
    }

    /**
     * Drops a viewer's cached unlock bitmap of one series, or with no series the cached VIP expiry. Tried even while
     * Redis is left alone after a failure (it is how a repair finds Redis back). False when it did not reach Redis.
     */
    public Uni<Boolean> forget(String viewerId, UUID seriesId) {
        return forget(List.of(key(viewerId, seriesId)));
    }

    /** Drops cached entries (keys from {@link #key}) in one round trip, as {@link #forget(String, UUID)}. */
    Uni<Boolean> forget(List<String> cached) {
        return keys.del(cached.toArray(String[]::new))
                .ifNoItem().after(TIMEOUT).fail()
                .replaceWith(true)
                .onFailure().recoverWithItem(false);
    }

    /** The key of a viewer's unlock bitmap of one series, or with no series of the viewer's VIP expiry. */
    static String key(String viewerId, UUID seriesId) {
        return seriesId == null ? vipKey(viewerId) : unlockKey(viewerId, seriesId);
    }

    private static String vipValue(Optional<Instant> until) {
        return until.map(at -> Long.toString(at.getEpochSecond())).orElse(NO_VIP);
    }

    private Uni<Known> guarded(Uni<Known> lookup) {
        if (backingOff() || distrusted) {
            misses.increment();
            return Uni.createFrom().nullItem();
        }
        // One stage for the outcome: each Mutiny stage on this path captures the request's context again.
        return lookup.ifNoItem().after(TIMEOUT).fail()
                .onItemOrFailure().transform((found, e) -> {
                    if (e == null) {
                        readFailures.answered();
                    } else if (readFailures.unavailable(e)) {
                        failed(e);
                    }
                    (found != null && found.complete() ? hits : misses).increment();
                    return found;
                });
    }

    /**
     * A write that may not reach Redis: false when it did not (failed, timed out, or Redis is being left alone).
     * {@code writeThrough}: a change PostgreSQL already holds, so missing it leaves Redis stale.
     */
    private Uni<Boolean> quietly(boolean writeThrough, Uni<?> write) {
        if (backingOff()) {
            if (writeThrough) {
                missedWrite();
            }
            return Uni.createFrom().item(false);
        }
        return write.ifNoItem().after(TIMEOUT).fail()
                .replaceWith(true)
                .onFailure().invoke(e -> {
                    failed(e);
                    if (writeThrough) {
                        missedWrite();
                    }
                })
                .onFailure().recoverWithItem(false);
    }

    private boolean backingOff() {
        return System.nanoTime() - skipUntilNanos < 0;
    }

    private void failed(Throwable e) {
        if (!backingOff()) {
            Log.warnf("Entitlement cache unavailable, serving from PostgreSQL for %s: %s", BACK_OFF, e.getMessage());
        }
        skipUntilNanos = System.nanoTime() + BACK_OFF.toNanos();
    }

    /** A write-through did not reach Redis: what it concerns may be stale there until repaired. */
    private void missedWrite() {
        lastMissedWriteNanos = System.nanoTime();
        distrusted = true;
    }

    /** Whether reads skip Redis because of a missed write not yet repaired. */
    boolean distrusted() {
        return distrusted;
    }

    /** Whether Redis answers now: one PING, tried even while Redis is left alone after a failure. */
    Uni<Boolean> answers() {
        return redis.execute("PING").ifNoItem().after(TIMEOUT).fail()
                .replaceWith(true)
                .onFailure().recoverWithItem(false);
    }

    /**
     * A repair round that began at {@code roundStartedNanos} found nothing left to repair: if no write missed Redis
     * after it began (less a second, in which a missed write-through is remembered), reads may trust Redis again.
     */
    void repaired(long roundStartedNanos) {
        if (distrusted && lastMissedWriteNanos < roundStartedNanos - REMEMBERED_WITHIN.toNanos()) {
            distrusted = false;
            Log.info("Entitlement cache repaired: reading from Redis again");
        }
    }

    static String unlockKey(String viewerId, UUID seriesId) {
        return "ent:" + viewerId + ":" + seriesId;
    }

    static String vipKey(String viewerId) {
        return "vip:" + viewerId;
    }
}

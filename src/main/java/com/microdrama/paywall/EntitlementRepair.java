package com.microdrama.paywall;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps the entitlement cache from going stale across a Redis outage. A write-through that does not reach Redis
 * (an unlock or a VIP change committed while Redis was cut) is remembered in PostgreSQL; every few seconds, once
 * Redis answers, the keys it concerns are deleted and the rows with them, so the next read refills them from
 * PostgreSQL. Deleting rather than rewriting keeps one rule for bitmaps and VIP expiries alike; a refill racing the
 * delete reads PostgreSQL after the commit it repairs, so it cannot bring the old state back. The rows are claimed
 * with {@code skip locked}: any number of API processes share the work, and one that dies mid-way leaves its rows to
 * the next round. A round drains the whole backlog in batches, each one {@code DEL} of all its keys, and tells the
 * cache when nothing is left, which is when reads trust Redis again.
 */
@ApplicationScoped
public class EntitlementRepair {

    private static final int BATCH = 500;

    private final Pool pool;
    private final EntitlementCache cache;
    private final Counter remembered;
    private final Counter repaired;

    EntitlementRepair(Pool pool, EntitlementCache cache, MeterRegistry registry) {
        this.pool = pool;
        this.cache = cache;
        this.remembered = registry.counter("entitlement_cache_repairs_total", "step", "remembered");
        this.repaired = registry.counter("entitlement_cache_repairs_total", "step", "repaired");
    }

    /** Runs a cache write-through; when it does not reach Redis, remembers the key it concerns. */
    Uni<Void> writeThrough(Uni<Boolean> write, String viewerId, UUID seriesId) {
        return write.flatMap(reached -> reached ? Uni.createFrom().voidItem() : remember(viewerId, seriesId));
    }

    /** A cached VIP expiry or unlock bitmap ({@code seriesId} set) that may be stale. */
    Uni<Void> remember(String viewerId, UUID seriesId) {
        return pool.preparedQuery("insert into entitlement_repair (viewer_id, series_id) values ($1, $2)")
                .execute(Tuple.of(viewerId, seriesId))
                .invoke(x -> remembered.increment())
                .onFailure().invoke(e -> Log.errorf("Could not remember a stale cache entry of %s (%s); it may stay "
                        + "cached until it expires: %s", viewerId, seriesId, e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Scheduled(every = "${paywall.cache-repair-every:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> repairOnSchedule() {
        return repair().onFailure().invoke(e -> Log.debugf("Cache repair postponed: %s", e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One round: how many remembered entries were dropped from Redis (0 while Redis is still away). */
    public Uni<Integer> repair() {
        long started = System.nanoTime();
        return repairFrom(started, 0);
    }

    private Uni<Integer> repairFrom(long started, int before) {
        return pool.withTransaction(this::repairBatch).flatMap(batch -> {
            if (batch.dropped() == BATCH) {
                return repairFrom(started, before + batch.dropped());
            }
            int dropped = before + batch.dropped();
            if (!batch.nothingLeft() || !cache.distrusted()) {
                return Uni.createFrom().item(dropped);
            }
            // Nothing left to repair; trusted again once Redis answers (with no rows, no DEL has shown it).
            return cache.answers().invoke(answers -> {
                if (answers) {
                    cache.repaired(started);
                }
            }).replaceWith(dropped);
        });
    }

    private record Batch(int dropped, boolean nothingLeft) {
    }

    /** Claims up to BATCH remembered entries, drops their keys in one call, deletes them if that reached Redis. */
    private Uni<Batch> repairBatch(SqlClient tx) {
        return tx.preparedQuery("""
                        select id, viewer_id, series_id from entitlement_repair order by id limit $1
                        for update skip locked""").execute(Tuple.of(BATCH))
                .flatMap(rows -> {
                    List<Long> ids = new ArrayList<>();
                    Set<String> keys = new LinkedHashSet<>();
                    rows.forEach(row -> {
                        ids.add(row.getLong("id"));
                        keys.add(EntitlementCache.key(row.getString("viewer_id"), row.getUUID("series_id")));
                    });
                    Uni<Boolean> dropped = keys.isEmpty() ? Uni.createFrom().item(true)
                            : cache.forget(List.copyOf(keys));
                    return dropped.flatMap(reached -> reached ? delete(tx, ids) : Uni.createFrom().item(-1));
                })
                // Rows another process holds right now are skipped above but seen here: not yet "nothing left".
                .flatMap(count -> count < 0 ? Uni.createFrom().item(new Batch(0, false))
                        : tx.query("select exists (select 1 from entitlement_repair)").execute()
                                .map(left -> new Batch(count, !left.iterator().next().getBoolean(0))));
    }

    private Uni<Integer> delete(SqlClient tx, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tx.preparedQuery("delete from entitlement_repair where id = any($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .invoke(x -> repaired.increment(ids.size()))
                .replaceWith(ids.size());
    }
}

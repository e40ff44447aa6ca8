package com.microdrama.analytics;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Appends raw events: one INSERT of arrays per batch, autocommitted, so that when it answers the events are on
 * PostgreSQL's disk (synchronous commit) and only then is the batch acknowledged. An event whose (viewer, id, time)
 * is already stored is skipped by the primary key, in this batch or any earlier one.
 */
@ApplicationScoped
class EventStore {

    /** One row to append; {@code positionMs} may be null. */
    record RawEvent(Instant occurredAt, String eventId, String kind, UUID episodeId, Integer positionMs, long coins) {
    }

    private final Pool pool;

    EventStore(Pool pool) {
        this.pool = pool;
    }

    /** Appends one viewer's events from {@code source} (client or server); answers how many were new. */
    Uni<Integer> append(String viewerId, String source, List<RawEvent> events) {
        int n = events.size();
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] ids = new String[n];
        String[] kinds = new String[n];
        UUID[] episodes = new UUID[n];
        Integer[] positions = new Integer[n];
        Long[] coins = new Long[n];
        for (int i = 0; i < n; i++) {
            RawEvent e = events.get(i);
            times[i] = e.occurredAt().atOffset(ZoneOffset.UTC);
            ids[i] = e.eventId();
            kinds[i] = e.kind();
            episodes[i] = e.episodeId();
            positions[i] = e.positionMs();
            coins[i] = e.coins();
        }
        return pool.preparedQuery("""
                        insert into analytics_event (occurred_at, viewer_id, event_id, kind, source, episode_id, position_ms, coins)
                        select t.occurred_at, $1, t.event_id, t.kind, $2, t.episode_id, t.position_ms, t.coins
                        from unnest($3::timestamptz[], $4::text[], $5::text[], $6::uuid[], $7::int[], $8::bigint[])
                             as t(occurred_at, event_id, kind, episode_id, position_ms, coins)
                        on conflict do nothing
                        """)
                .execute(Tuple.from(Arrays.asList(viewerId, source, times, ids, kinds, episodes, positions, coins)))
                .map(rows -> rows.rowCount());
    }

    /** One viewer's event, for {@link #appendAll}. */
    record ViewerEvent(String viewerId, RawEvent event) {
    }

    /** Appends many viewers' events from {@code source} in one statement; answers how many were new. */
    Uni<Integer> appendAll(String source, List<ViewerEvent> events) {
        int n = events.size();
        String[] viewers = new String[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] ids = new String[n];
        String[] kinds = new String[n];
        UUID[] episodes = new UUID[n];
        Integer[] positions = new Integer[n];
        Long[] coins = new Long[n];
        for (int i = 0; i < n; i++) {
            RawEvent e = events.get(i).event();
            viewers[i] = events.get(i).viewerId();
            times[i] = e.occurredAt().atOffset(ZoneOffset.UTC);
            ids[i] = e.eventId();
            kinds[i] = e.kind();
            episodes[i] = e.episodeId();
            positions[i] = e.positionMs();
            coins[i] = e.coins();
        }
        return pool.preparedQuery("""
                        insert into analytics_event (occurred_at, viewer_id, event_id, kind, source, episode_id, position_ms, coins)
                        select t.occurred_at, t.viewer_id, t.event_id, t.kind, $1, t.episode_id, t.position_ms, t.coins
                        from unnest($2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::int[], $8::bigint[])
                             as t(occurred_at, viewer_id, event_id, kind, episode_id, position_ms, coins)
                        on conflict do nothing
                        """)
                .execute(Tuple.from(Arrays.asList(source, times, viewers, ids, kinds, episodes, positions, coins)))
                .map(rows -> rows.rowCount());
    }
}

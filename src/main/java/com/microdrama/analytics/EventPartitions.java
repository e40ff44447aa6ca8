package com.microdrama.analytics;

import com.microdrama.core.persistence.Blocking;
import com.microdrama.core.persistence.Rows;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The raw events' day partitions: created ahead (from the oldest day a client may still report to
 * {@code analytics.partitions-ahead} days on) at start and every hour, and dropped whole once older than
 * {@code analytics.retention-days}: dropping a partition costs nothing, deleting rows from a table this size would.
 * Every process may run it; creation is "if not exists" and a drop of a table already gone is skipped.
 */
@ApplicationScoped
public class EventPartitions {

    private static final String PREFIX = "analytics_event_";
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private final Pool pool;
    private final AnalyticsConfig config;

    EventPartitions(Pool pool, AnalyticsConfig config) {
        this.pool = pool;
        this.config = config;
    }

    void atStart(@Observes StartupEvent start) {
        scheduled();
    }

    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            maintain(LocalDate.now(ZoneOffset.UTC));
        } catch (RuntimeException e) {
            Log.warnf(e, "Analytics partitions not maintained; retried in an hour");
        }
    }

    /** Creates the partitions around {@code today} and drops those past retention; answers the dropped tables. */
    public List<String> maintain(LocalDate today) {
        LocalDate first = today.minusDays(config.maxLateness().toDays() + 1);
        LocalDate last = today.plusDays(config.partitionsAhead());
        LocalDate oldestKept = today.minusDays(config.retentionDays());
        return Blocking.await(() -> pool.preparedQuery("""
                        select analytics_event_partition(d::date) from generate_series($1::date, $2::date, interval '1 day') as d
                        """).execute(Tuple.of(first, last))
                .flatMap(x -> pool.query("""
                        select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                        where i.inhparent = 'analytics_event'::regclass
                        """).execute())
                .map(rows -> Rows.stream(rows).map(r -> r.getString("relname"))
                        .filter(name -> name.startsWith(PREFIX) && LocalDate.parse(name.substring(PREFIX.length()), DAY).isBefore(oldestKept))
                        .sorted().toList())
                .call(old -> old.isEmpty() ? Uni.createFrom().voidItem() : pool.query("drop table if exists "
                        + String.join(", ", old)).execute().replaceWithVoid())
                .invoke(old -> {
                    if (!old.isEmpty()) {
                        Log.infof("Dropped analytics partitions past %d days: %s", config.retentionDays(), old);
                    }
                }));
    }
}

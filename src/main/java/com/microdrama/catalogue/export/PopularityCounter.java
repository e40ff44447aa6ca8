package com.microdrama.catalogue.export;

import com.microdrama.playback.PlayCounter;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plays counted for the "popular" sort. Counted in memory and added to PostgreSQL in one statement every few
 * seconds: an UPDATE of the series row per play would serialise every viewer of a hit series on one row lock.
 * A crash loses at most one interval of counts, which a popularity ranking can afford. The interval is
 * {@code playback.popularity-flush} (PlaybackConfig), since playback is what counts the plays.
 */
@ApplicationScoped
public class PopularityCounter implements PlayCounter {

    private final Map<UUID, LongAdder> plays = new ConcurrentHashMap<>();
    private final Pool pool;

    PopularityCounter(Pool pool) {
        this.pool = pool;
    }

    @Override
    public void played(UUID seriesId) {
        plays.computeIfAbsent(seriesId, id -> new LongAdder()).increment();
    }

    @Scheduled(every = "${playback.popularity-flush:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flush() {
        List<Tuple> batch = new ArrayList<>();
        for (UUID series : List.copyOf(plays.keySet())) {
            long count = plays.remove(series).sum();
            if (count > 0) {
                batch.add(Tuple.of(series, count));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            pool.preparedQuery("update series set popularity = popularity + $2 where id = $1").executeBatch(batch)
                    .await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            Log.warnf("Play counts of %d series not saved: %s", batch.size(), e.getMessage());
        }
    }
}

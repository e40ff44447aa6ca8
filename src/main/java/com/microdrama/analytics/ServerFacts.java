package com.microdrama.analytics;

import com.microdrama.core.persistence.Blocking;
import com.microdrama.paywall.EpisodesUnlocked;
import com.microdrama.playback.PlaybackStarted;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.event.ObservesAsync;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What the server itself knows, recorded as raw events next to the players' (source "server"): playback starts
 * from playback, unlocks with their coins and ad unlocks from the paywall. Both announce these after the fact (the
 * unlock after its commit), so a failing write here is logged and lost, never a failed play or sale. Plays are
 * kept in memory and written every {@code analytics.server-facts-every} for all viewers at once (a crash loses
 * at most that much of them, as it loses play counts in the catalogue's PopularityCounter). These events are not taken from clients (their kinds are refused at intake).
 */
@ApplicationScoped
class ServerFacts {

    static final String ID_PREFIX = "server:";

    /**
     * Rows per statement, statements one after another until what was waiting is written: the event loop that
     * encodes a statement serves no request meanwhile, and with one loop a core (EVENT_LOOPS) that is every request.
     */
    private static final int MAX_ROWS = 2_000;

    private final EventStore store;
    private final KnownEpisodes episodes;
    private final AnalyticsConfig config;
    private final Queue<EventStore.ViewerEvent> plays = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();

    ServerFacts(EventStore store, KnownEpisodes episodes, AnalyticsConfig config) {
        this.store = store;
        this.episodes = episodes;
        this.config = config;
    }

    /** Kept for the next {@link #flushPlays}: playback starts are the hottest path there is. */
    void played(@ObservesAsync PlaybackStarted play) {
        if (waiting.incrementAndGet() > config.serverFactsBuffer()) {
            waiting.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        plays.add(new EventStore.ViewerEvent(play.viewerId(),
                new EventStore.RawEvent(play.at(), serverId(), EventKinds.PLAYBACK_START, play.episodeId(), null, 0)));
    }

    /** The playback starts since the last flush, in statements of {@link #MAX_ROWS}; on failure logged and lost. */
    @Scheduled(every = "${analytics.server-facts-every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushPlays() {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            Log.warnf("Analytics lost %d plays: more than %d were waiting to be written", lost, config.serverFactsBuffer());
        }
        for (int left = waiting.get(); left > 0; left -= MAX_ROWS) {
            List<EventStore.ViewerEvent> batch = new ArrayList<>();
            for (EventStore.ViewerEvent e; batch.size() < MAX_ROWS && (e = plays.poll()) != null; ) {
                batch.add(e);
            }
            waiting.addAndGet(-batch.size());
            if (batch.isEmpty()) {
                return;
            }
            record(batch.size() + " viewers", "plays", () -> store.appendAll("server", batch));
        }
    }

    void unlocked(@ObservesAsync EpisodesUnlocked unlock) {
        String kind = "ad".equals(unlock.method()) ? EventKinds.AD_UNLOCK : EventKinds.UNLOCK;
        record(unlock.viewerId(), "unlock of " + unlock.numbers(), () -> episodes.inSeries(unlock.seriesId(), unlock.numbers())
                .flatMap(placements -> {
                    // A batch's coins are split over its episodes, the remainder on the first, so they add up.
                    int n = placements.size();
                    List<EventStore.RawEvent> rows = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        long coins = unlock.coins() / n + (i == 0 ? unlock.coins() % n : 0);
                        rows.add(new EventStore.RawEvent(unlock.at(), serverId(), kind, placements.get(i).id(), null, coins));
                    }
                    return n == 0 ? Uni.createFrom().item(0) : store.append(unlock.viewerId(), "server", rows);
                }));
    }

    private static void record(String viewerId, String what, Supplier<Uni<Integer>> write) {
        try {
            Blocking.await(write);
        } catch (RuntimeException e) {
            Log.warnf("Analytics lost the %s by %s: %s", what, viewerId, e.getMessage());
        }
    }

    private static String serverId() {
        return ID_PREFIX + UUID.randomUUID();
    }
}

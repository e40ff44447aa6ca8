package com.microdrama.analytics;

import com.microdrama.core.persistence.Blocking;
import com.microdrama.paywall.EpisodesUnlocked;
import com.microdrama.playback.PlaybackStarted;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What the server itself knows, recorded as raw events next to the players' (source "server"): playback starts
 * from playback, unlocks with their coins and ad unlocks from the paywall. Both announce these asynchronously
 * after the fact (the unlock after its commit), so a failing write here is logged and lost, never a failed play
 * or sale. These events are not taken from clients (their kinds are refused at intake).
 */
@ApplicationScoped
class ServerFacts {

    static final String ID_PREFIX = "server:";

    private final EventStore store;
    private final KnownEpisodes episodes;

    ServerFacts(EventStore store, KnownEpisodes episodes) {
        this.store = store;
        this.episodes = episodes;
    }

    void played(@ObservesAsync PlaybackStarted play) {
        record(play.viewerId(), "play of " + play.episodeId(), () -> store.append(play.viewerId(), "server",
                List.of(new EventStore.RawEvent(play.at(), serverId(), EventKinds.PLAYBACK_START, play.episodeId(), null, 0))));
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

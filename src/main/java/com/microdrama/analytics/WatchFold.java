package com.microdrama.analytics;

import com.microdrama.catalogue.EpisodeDirectory.Placement;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Folds newly arrived raw events into the viewers' watches and the rollups' differences. The watches of every
 * (viewer, series) the events touch are loaded whole, so that "started episode 1" and "the previous episode" are
 * known; each watch's share is taken back before the fold and added again after, which turns any change of a watch
 * (a later position, a completion, a late unlock) into exact differences of the counts.
 */
final class WatchFold {

    /** A raw event as the rollup reads it. */
    record Event(Instant occurredAt, String viewerId, String kind, UUID episodeId, Integer positionMs, long coins) {
    }

    private record Slot(String viewerId, UUID seriesId, int number) {
    }

    private final Map<Slot, Watch> watches = new HashMap<>();
    private final RollupCounts counts = new RollupCounts();

    WatchFold(Collection<Watch> known) {
        for (Watch w : known) {
            watches.put(new Slot(w.viewerId, w.seriesId, w.number), w);
            w.contribute(counts, -1);
        }
    }

    /** Applies the events (sorted by time) whose episodes are placed; events of unknown episodes are skipped. */
    void apply(List<Event> events, Map<UUID, Placement> placements) {
        for (Event e : events) {
            Placement p = placements.get(e.episodeId());
            if (p != null) {
                apply(e, p);
            }
        }
        watches.values().forEach(w -> w.contribute(counts, 1));
    }

    private void apply(Event e, Placement p) {
        Watch w = watches.computeIfAbsent(new Slot(e.viewerId(), p.seriesId(), p.number()),
                s -> new Watch(e.viewerId(), p.id(), p.seriesId(), p.number()));
        w.changed = true;
        if (p.durationMs() != null) {
            w.durationMs = p.durationMs();
        }
        switch (e.kind()) {
            case EventKinds.PLAYBACK_START -> {
                counts.add(e.occurredAt(), p.id(), p.seriesId(), p.number(), RollupCounts.VIEWS, 1);
                if (w.startedAt == null) {
                    started(w, e.occurredAt());
                }
            }
            case EventKinds.PLAY_START, EventKinds.PROGRESS, EventKinds.LEAVE -> {
                if (e.positionMs() != null) {
                    w.maxPositionMs = Math.max(w.maxPositionMs, e.positionMs());
                }
            }
            case EventKinds.COMPLETE -> {
                w.completed = true;
                if (w.durationMs != null) {
                    w.maxPositionMs = Math.max(w.maxPositionMs, w.durationMs);
                }
            }
            case EventKinds.PAYWALL_SHOWN -> {
                if (w.paywallShownAt == null) {
                    w.paywallShownAt = e.occurredAt();
                }
            }
            case EventKinds.UNLOCK, EventKinds.AD_UNLOCK -> {
                counts.add(e.occurredAt(), p.id(), p.seriesId(), p.number(), RollupCounts.UNLOCKS, 1);
                counts.add(e.occurredAt(), p.id(), p.seriesId(), p.number(), RollupCounts.COINS, e.coins());
                if (EventKinds.AD_UNLOCK.equals(e.kind())) {
                    counts.add(e.occurredAt(), p.id(), p.seriesId(), p.number(), RollupCounts.AD_UNLOCKS, 1);
                }
                if (w.unlockedAt == null) {
                    w.unlockedAt = e.occurredAt();
                }
            }
            default -> throw new IllegalStateException("unknown event kind " + e.kind());
        }
    }

    /** A first start: of episode 1, or after episode 1, it counts in the series funnel; it continues the previous one. */
    private void started(Watch w, Instant at) {
        w.startedAt = at;
        Watch first = watches.get(new Slot(w.viewerId, w.seriesId, 1));
        w.fromFirst = w.number == 1 || (first != null && first.startedAt != null && !first.startedAt.isAfter(at));
        Watch previous = watches.get(new Slot(w.viewerId, w.seriesId, w.number - 1));
        if (previous != null && previous.startedAt != null && !previous.continued) {
            previous.continued = true;
            previous.changed = true;
        }
    }

    Collection<Watch> changedWatches() {
        return watches.values().stream().filter(w -> w.changed).toList();
    }

    RollupCounts counts() {
        return counts;
    }
}

package com.microdrama.analytics;

import com.microdrama.analytics.dto.BatchAccepted;
import com.microdrama.analytics.dto.EventBatch;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The players' events in: checked whole, rate-limited per viewer, appended durably, then acknowledged. */
@ApplicationScoped
public class EventIntake {

    private final AnalyticsConfig config;
    private final KnownEpisodes episodes;
    private final ViewerRateLimit rateLimit;
    private final EventStore store;

    EventIntake(AnalyticsConfig config, KnownEpisodes episodes, ViewerRateLimit rateLimit, EventStore store) {
        this.config = config;
        this.episodes = episodes;
        this.rateLimit = rateLimit;
        this.store = store;
    }

    public Uni<BatchAccepted> receive(String viewerId, EventBatch batch) {
        EventValidation.check(batch, config.maxBatch(), Instant.now(), config.maxLateness(), config.maxClockAhead());
        List<EventBatch.Event> events = batch.events();
        List<UUID> named = events.stream().map(EventBatch.Event::episodeId).distinct().toList();
        return episodes.of(named)
                .invoke(known -> EventValidation.checkEpisodes(batch, known.keySet()))
                .flatMap(known -> rateLimit.take(viewerId, events.size()))
                .flatMap(x -> store.append(viewerId, "client", events.stream().map(EventIntake::raw).toList()))
                .map(stored -> new BatchAccepted(stored, events.size() - stored));
    }

    private static EventStore.RawEvent raw(EventBatch.Event e) {
        Integer positionMs = e.positionSeconds() == null ? null : (int) Math.round(e.positionSeconds() * 1000);
        return new EventStore.RawEvent(e.occurredAt(), e.id(), e.type(), e.episodeId(), positionMs, 0);
    }
}

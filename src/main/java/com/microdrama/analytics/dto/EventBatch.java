package com.microdrama.analytics.dto;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the player posts: up to 100 events, each with its own id so that a resent batch is not counted twice. */
public record EventBatch(List<Event> events) {

    /**
     * One thing the viewer did: {@code type} is play_start, progress, complete, leave or paywall_shown;
     * {@code positionSeconds} is required for progress and leave.
     */
    public record Event(String id, String type, UUID episodeId, Instant occurredAt, Double positionSeconds) {
    }
}

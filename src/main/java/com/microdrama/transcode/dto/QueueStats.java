package com.microdrama.transcode.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The queue at a glance. Figures of the last hour count jobs by the time they finished. */
public record QueueStats(Map<String, Long> queue, Double oldestQueuedAgeSeconds, LastHour lastHour,
                         Double meanEncodeSpeed, List<Worker> workers) {

    public record LastHour(long succeeded, long failed) {
    }

    /** A worker thread of any process; alive while it keeps renewing its row within a lease period. */
    public record Worker(String worker, Instant startedAt, Instant lastSeenAt, @Schema(nullable = true) UUID currentJobId, boolean alive) {
    }
}

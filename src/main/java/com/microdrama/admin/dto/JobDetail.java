package com.microdrama.admin.dto;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Everything an operator needs to understand one job: its attempts, errors, source and what it produced. */
public record JobDetail(@JsonUnwrapped JobSummary job, String errorLogTail, Instant nextRunAt, Instant heartbeatAt,
                        Instant leaseExpiresAt, List<Attempt> attemptHistory, Source source,
                        List<Rendition> renditions) {

    public record Attempt(int attempt, String worker, Instant startedAt, Instant finishedAt, String outcome,
                          String errorMessage, String errorLogTail, Double encodeSpeed) {
    }

    public record Source(String key, long size, Map<String, Object> probe) {
    }

    public record Rendition(String name, int width, int height, int bandwidth) {
    }
}

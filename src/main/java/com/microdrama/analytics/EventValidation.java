package com.microdrama.analytics;

import com.microdrama.analytics.dto.EventBatch;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.error.Problem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a batch whole and names every bad event by its index and field ({@code events[3].positionSeconds}), so
 * that a player can log exactly what it sent wrong. One bad event refuses the batch: nothing of it is stored.
 */
final class EventValidation {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final double MAX_POSITION_SECONDS = 24 * 3600;

    private final List<Problem.FieldError> errors = new ArrayList<>();

    private EventValidation() {
    }

    /** The structure of the batch, before the episodes are looked up. */
    static void check(EventBatch batch, int maxBatch, Instant now, Duration maxLateness, Duration maxAhead) {
        EventValidation v = new EventValidation();
        if (batch == null || batch.events() == null || batch.events().isEmpty()) {
            throw ApiException.badRequest("events", "must hold 1 to " + maxBatch + " events");
        }
        if (batch.events().size() > maxBatch) {
            throw ApiException.badRequest("events", "holds " + batch.events().size() + " events; at most " + maxBatch
                    + " per batch");
        }
        for (int i = 0; i < batch.events().size(); i++) {
            v.event("events[" + i + "]", batch.events().get(i), now, maxLateness, maxAhead);
        }
        v.throwIfAny();
    }

    /** Every event's episode must exist. */
    static void checkEpisodes(EventBatch batch, Set<UUID> known) {
        EventValidation v = new EventValidation();
        for (int i = 0; i < batch.events().size(); i++) {
            if (!known.contains(batch.events().get(i).episodeId())) {
                v.error("events[" + i + "].episodeId", "no such episode");
            }
        }
        v.throwIfAny();
    }

    private void event(String at, EventBatch.Event e, Instant now, Duration maxLateness, Duration maxAhead) {
        if (e == null) {
            error(at, "must be an event object");
            return;
        }
        if (e.id() == null || !ID.matcher(e.id()).matches()) {
            error(at + ".id", "must be 1 to 64 letters, digits or . _ : -");
        } else if (e.id().startsWith(ServerFacts.ID_PREFIX)) {
            error(at + ".id", "must not start with '" + ServerFacts.ID_PREFIX + "' (the server's own events)");
        }
        if (e.type() == null) {
            error(at + ".type", "is required");
        } else if (EventKinds.SERVER_ONLY.contains(e.type())) {
            error(at + ".type", "'" + e.type() + "' is recorded by the server, never taken from clients");
        } else if (!EventKinds.FROM_CLIENTS.contains(e.type())) {
            error(at + ".type", "must be one of " + EventKinds.FROM_CLIENTS.stream().sorted().collect(Collectors.joining(", ")));
        }
        if (e.episodeId() == null) {
            error(at + ".episodeId", "is required");
        }
        if (e.occurredAt() == null) {
            error(at + ".occurredAt", "is required");
        } else if (e.occurredAt().isAfter(now.plus(maxAhead))) {
            error(at + ".occurredAt", "lies more than " + maxAhead.toMinutes() + " minutes in the future");
        } else if (e.occurredAt().isBefore(now.minus(maxLateness))) {
            error(at + ".occurredAt", "is older than " + maxLateness.toHours() + " hours");
        }
        if (e.positionSeconds() == null) {
            if (EventKinds.WITH_POSITION.contains(e.type())) {
                error(at + ".positionSeconds", "is required for " + e.type());
            }
        } else if (!(e.positionSeconds() >= 0 && e.positionSeconds() <= MAX_POSITION_SECONDS)) {
            error(at + ".positionSeconds", "must be from 0 to " + (long) MAX_POSITION_SECONDS);
        }
    }

    private void error(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
    }

    private void throwIfAny() {
        if (errors.isEmpty()) {
            return;
        }
        String detail = errors.stream().limit(5).map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "))
                + (errors.size() > 5 ? "; and " + (errors.size() - 5) + " more" : "");
        throw new ApiException(400, "Invalid request", detail, List.copyOf(errors));
    }
}

package com.microdrama.admin;

import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageCursor;
import com.microdrama.transcode.JobState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/** The operators' job list filters, parsed from query text so that each bad value is a 400 naming its field. */
public record JobFilter(String state, UUID seriesId, UUID episodeId, Instant from, Instant to, int limit,
                        PageCursor cursor) {

    public static JobFilter parse(String state, String seriesId, String episodeId, String from, String to, int limit,
                                  String cursor) {
        String wantedState = blank(state) ? null : state.strip().toLowerCase(Locale.ROOT);
        if (wantedState != null && !JobState.NAMES.contains(wantedState)) {
            throw ApiException.badRequest("state", "must be one of " + String.join(", ", JobState.NAMES));
        }
        JobFilter filter = new JobFilter(wantedState, uuid("seriesId", seriesId), uuid("episodeId", episodeId),
                instant("from", from), instant("to", to), limit, PageCursor.parse(cursor));
        if (filter.from != null && filter.to != null && filter.from.isAfter(filter.to)) {
            throw ApiException.badRequest("from", "must not be after 'to'");
        }
        return filter;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static UUID uuid(String field, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, "is not an id");
        }
    }

    private static Instant instant(String field, String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(field, "must be an ISO-8601 instant such as 2026-11-25T08:00:00Z");
        }
    }
}

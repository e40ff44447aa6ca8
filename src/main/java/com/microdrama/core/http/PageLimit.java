package com.microdrama.core.http;

import com.microdrama.core.error.ApiException;

/**
 * Parses {@code limit}. Taken as text so that "abc" is a 400 naming the field, not the 404 JAX-RS gives for an
 * unconvertible query parameter.
 */
public final class PageLimit {

    private PageLimit() {
    }

    public static int parse(String raw, int defaultLimit, int maxLimit) {
        if (raw == null || raw.isBlank()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(raw.strip());
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badRequest("limit", "must be a whole number from 1 to " + maxLimit);
    }
}

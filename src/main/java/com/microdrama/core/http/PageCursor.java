package com.microdrama.core.http;

import com.microdrama.core.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque keyset cursor: the sort key and id of the last row of a page. Keyset (not offset) pagination keeps
 * walking the pages stable and cheap however deep the client goes.
 */
public record PageCursor(String sortKey, UUID id) {

    private static final String SEPARATOR = "|";

    public static PageCursor after(long sortKey, UUID id) {
        return new PageCursor(Long.toString(sortKey), id);
    }

    public static PageCursor after(Instant sortKey, UUID id) {
        return after(ChronoUnit.MICROS.between(Instant.EPOCH, sortKey), id);
    }

    /** Decodes a cursor a client sent back; null when the client asked for the first page. */
    public static PageCursor parse(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            int split = decoded.lastIndexOf(SEPARATOR);
            PageCursor cursor = new PageCursor(decoded.substring(0, split), UUID.fromString(decoded.substring(split + 1)));
            cursor.longKey();
            return cursor;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cursor", "is not a cursor issued by this API; start again without it");
        }
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((sortKey + SEPARATOR + id).getBytes(StandardCharsets.UTF_8));
    }

    public long longKey() {
        return Long.parseLong(sortKey);
    }

    public Instant instantKey() {
        return Instant.EPOCH.plus(longKey(), ChronoUnit.MICROS);
    }
}

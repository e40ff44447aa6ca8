package com.microdrama.catalogue;

import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageCursor;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where the feed goes on: within the viewer's continue-watching list (an offset; that list is short and read
 * afresh each page), or within trending (its keyset cursor).
 */
public record FeedCursor(int continueOffset, PageCursor trendingAfter) {

    static FeedCursor inContinueWatching(int offset) {
        return new FeedCursor(offset, null);
    }

    static FeedCursor inTrending(PageCursor after) {
        return new FeedCursor(-1, after);
    }

    boolean inTrending() {
        return continueOffset < 0;
    }

    String encode() {
        String text = inTrending() ? "t:" + trendingAfter.encode() : "c:" + continueOffset;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Null for the first page. */
    static FeedCursor parse(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            if (text.startsWith("c:")) {
                int offset = Integer.parseInt(text.substring(2));
                if (offset >= 0) {
                    return inContinueWatching(offset);
                }
            } else if (text.startsWith("t:")) {
                return inTrending(PageCursor.parse(text.substring(2)));
            }
        } catch (RuntimeException e) {
            // falls through to the refusal
        }
        throw ApiException.badRequest("cursor", "is not a cursor issued by this API; start again without it");
    }
}

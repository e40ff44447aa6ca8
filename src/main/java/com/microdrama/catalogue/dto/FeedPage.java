package com.microdrama.catalogue.dto;

import java.util.List;

/** One page of the feed; {@code nextCursor} is null at its end. */
public record FeedPage(List<FeedItem> items, String nextCursor) {
}

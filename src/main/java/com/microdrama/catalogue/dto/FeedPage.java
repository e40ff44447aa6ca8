package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

/** One page of the feed; {@code nextCursor} is null at its end. */
public record FeedPage(List<FeedItem> items, @Schema(nullable = true) String nextCursor) {
}

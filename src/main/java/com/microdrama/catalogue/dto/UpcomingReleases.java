package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.List;

/** Upcoming releases, soonest first; {@code nextCursor} is null at the end. */
public record UpcomingReleases(List<UpcomingRelease> items, @Schema(nullable = true) String nextCursor) {
}

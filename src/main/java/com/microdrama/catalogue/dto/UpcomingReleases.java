package com.microdrama.catalogue.dto;

import java.util.List;

/** Upcoming releases, soonest first; {@code nextCursor} is null at the end. */
public record UpcomingReleases(List<UpcomingRelease> items, String nextCursor) {
}

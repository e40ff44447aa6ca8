package com.microdrama.catalogue.dto;

import java.time.Instant;
import java.util.UUID;

/**
 * An episode whose release time is still ahead. {@code published} and {@code ready} say whether it will in fact
 * appear at that time (an unpublished or not yet encoded episode stays hidden past it).
 */
public record UpcomingRelease(UUID seriesId, String seriesSlug, String seriesTitle, String producerId, UUID episodeId,
                              int number, String episodeTitle, Instant releaseAt, boolean published, boolean ready) {
}

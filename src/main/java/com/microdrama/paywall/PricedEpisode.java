package com.microdrama.paywall;

import java.util.UUID;

/** A viewer-visible episode as the paywall sees it: where it sits, what it costs, and what playback needs. */
public record PricedEpisode(UUID id, UUID seriesId, int number, UUID versionId, Integer durationMs, long price,
                            boolean free) {
}

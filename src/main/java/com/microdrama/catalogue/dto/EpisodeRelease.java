package com.microdrama.catalogue.dto;

import java.time.Instant;

/** One episode's release time; null releases it as soon as it is published and ready. */
public record EpisodeRelease(Instant releaseAt) {
}

package com.microdrama.catalogue.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.time.Instant;

/** One episode's release time; null releases it as soon as it is published and ready. */
public record EpisodeRelease(@Schema(nullable = true) Instant releaseAt) {
}

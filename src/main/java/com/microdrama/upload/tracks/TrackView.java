package com.microdrama.upload.tracks;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.util.UUID;

/** A track as its producer sees it after an upload; {@code jobId} is set for a dub still being encoded. */
public record TrackView(UUID id, String kind, String language, String name, String state,
                        @Schema(nullable = true) UUID jobId, @Schema(nullable = true) Integer cues) {
}

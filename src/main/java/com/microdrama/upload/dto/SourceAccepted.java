package com.microdrama.upload.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.core.media.ProbeResult;
import java.util.UUID;

/** A source that passed the probe: it is now a queued version of the episode. */
public record SourceAccepted(UUID uploadId, UUID episodeId, int episodeNumber, UUID versionId, int versionNumber,
                             String versionState, long size, String sha256, @Schema(nullable = true) ProbeResult probe) {
}

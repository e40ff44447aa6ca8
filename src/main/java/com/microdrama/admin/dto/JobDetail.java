package com.microdrama.admin.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.microdrama.catalogue.EpisodeVersions;
import com.microdrama.catalogue.VersionQuality;
import com.microdrama.playback.MissingMedia;
import com.microdrama.transcode.JobReads;
import java.time.Instant;
import java.util.List;

/**
 * Everything an operator needs to understand one job: its attempts, errors, source and what it produced, with the
 * version's quality report (empty until it is ready), and {@code mediaMissing} when viewers asked for the version's
 * media and storage did not have it (null otherwise).
 */
public record JobDetail(@JsonUnwrapped JobSummary job, @Schema(nullable = true) String errorLogTail,
                        @Schema(nullable = true) Instant nextRunAt, @Schema(nullable = true) Instant heartbeatAt, @Schema(nullable = true) Instant leaseExpiresAt,
                        List<JobReads.Attempt> attemptHistory, EpisodeVersions.Source source,
                        List<EpisodeVersions.Rendition> renditions, List<VersionQuality.RungReport> quality,
                        @Schema(nullable = true) MissingMedia.Sighting mediaMissing) {
}

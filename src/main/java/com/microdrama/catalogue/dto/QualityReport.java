package com.microdrama.catalogue.dto;

import com.microdrama.catalogue.VersionQuality;
import java.util.List;
import java.util.UUID;

/** The quality report of an episode's current version: per rung, its bitrate, SSIM and PSNR against the source. */
public record QualityReport(UUID versionId, List<VersionQuality.RungReport> rungs) {
}

package com.microdrama.upload.dto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.UUID;

/** Starts a direct (presigned, resumable) upload of an episode's source. */
public record CreateUploadRequest(
        @NotNull(message = "is required") UUID seriesId,
        @NotNull(message = "is required") @Min(1) @Max(10000) Integer episodeNumber,
        @NotNull(message = "is required") @Positive(message = "must be at least 1 byte") Long size,
        @NotNull(message = "is required")
        @Pattern(regexp = "^[\\w.+-]+/[\\w.+-]+$", message = "must be a media type such as video/mp4") String contentType,
        @Pattern(regexp = "^[0-9a-fA-F]{64}$", message = "must be 64 hexadecimal characters") String sha256) {
}

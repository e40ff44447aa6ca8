package com.microdrama.upload.dto;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.upload.Upload;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An upload as its client sees it. While pending: the parts already stored, the ones missing, and fresh presigned
 * URLs for the missing ones (what a client needs to resume after a disconnect).
 */
public record UploadView(UUID id, UUID seriesId, int episodeNumber, String method, String state,
                         @Schema(nullable = true) Long size, @Schema(nullable = true) Long partSize,
                         @Schema(nullable = true) Integer partCount, @Schema(nullable = true) String contentType, @Schema(nullable = true) String sha256, @Schema(nullable = true) String failureReason,
                         @Schema(nullable = true) UUID versionId, Instant createdAt, Instant expiresAt, @Schema(nullable = true) Instant finishedAt,
                         List<StoredPartView> storedParts, List<Integer> missingParts, List<PartUrl> partUrls,
                         @Schema(nullable = true) Instant urlsExpireAt) {

    public static UploadView of(Upload u, List<StoredPartView> stored, List<Integer> missing, List<PartUrl> urls,
                                @Schema(nullable = true) Instant urlsExpireAt) {
        return new UploadView(u.id, u.seriesId, u.episodeNumber, u.method.name().toLowerCase(),
                u.state.name().toLowerCase(), u.size, u.partSize,
                u.size == null || u.partSize == null ? null : u.partCount(), u.contentType, u.sha256,
                u.failureReason, u.versionId, u.createdAt, u.expiresAt, u.finishedAt, stored, missing, urls,
                urlsExpireAt);
    }

    public static UploadView of(Upload u) {
        return of(u, List.of(), List.of(), List.of(), null);
    }
}

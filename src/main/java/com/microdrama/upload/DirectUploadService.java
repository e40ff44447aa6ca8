package com.microdrama.upload;

import com.microdrama.core.error.ApiException;
import com.microdrama.core.error.Unavailable;
import com.microdrama.upload.dto.CreateUploadRequest;
import com.microdrama.upload.dto.PartUrl;
import com.microdrama.upload.dto.SourceAccepted;
import com.microdrama.upload.dto.StoredPartView;
import com.microdrama.upload.dto.UploadView;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Direct, resumable uploads: the client PUTs parts straight to object storage with presigned URLs, so the API never
 * carries the bytes; it can list what is stored and resume after a disconnect. Blocking: worker threads only.
 */
@ApplicationScoped
public class DirectUploadService {

    private static final int MAX_PARTS = 10_000;
    private static final long MIB = 1L << 20;

    private final UploadRecords records;
    private final UploadStorage storage;
    private final SourceIntake intake;
    private final UploadDiscards discards;
    private final LocalCopy copies;
    private final UploadConfig config;

    DirectUploadService(UploadRecords records, UploadStorage storage, SourceIntake intake, UploadDiscards discards,
                        LocalCopy copies, UploadConfig config) {
        this.records = records;
        this.storage = storage;
        this.intake = intake;
        this.discards = discards;
        this.copies = copies;
        this.config = config;
    }

    public UploadView create(String producerId, CreateUploadRequest request) {
        long max = config.maxSize().asLongValue();
        if (request.size() > max) {
            throw UploadLimits.tooLarge(request.size(), max);
        }
        records.requireOwned(producerId, request.seriesId());
        Upload upload = UploadRecords.draft(producerId, request.seriesId(), request.episodeNumber(),
                Upload.Method.DIRECT, request.contentType());
        upload.size = request.size();
        upload.partSize = partSize(request.size());
        upload.sha256 = request.sha256() == null ? null : request.sha256().toLowerCase(Locale.ROOT);
        upload.s3UploadId = discards.startMultipart(upload);
        try {
            records.insert(upload);
        } catch (RuntimeException e) {
            storage.discard(upload.objectKey, upload.s3UploadId);
            throw e;
        }
        Log.debugf("Producer %s starts direct upload %s (%d bytes, %d parts)", producerId, upload.id, upload.size,
                upload.partCount());
        return view(upload);
    }

    public UploadView get(String producerId, UUID id) {
        return view(records.owned(producerId, id));
    }

    public SourceAccepted complete(String producerId, UUID id) {
        Upload upload = records.owned(producerId, id);
        switch (upload.state) {
            case COMPLETED:
                return intake.accepted(upload);
            case FAILED:
                throw new ApiException(422, "Media refused", upload.failureReason).with("uploadId", id)
                        .with("state", "failed");
            case ABORTED:
                throw ApiException.conflict("upload '" + id + "' was aborted" + reasonSuffix(upload));
            default:
                break;
        }
        if (!records.transition(id, Upload.State.PENDING, Upload.State.COMPLETING)) {
            throw ApiException.conflict("upload '" + id + "' is already being completed");
        }
        Path copy = copies.newFile();
        try {
            LocalCopy.Copied copied;
            try {
                assemble(upload);
                copied = readBack(upload, copy);
            } catch (UploadStorage.StorageFailure | IOException e) {
                // Storage went away: the parts, or the object assembled from them, are intact. Pending again, the
                // upload completes once storage is back, resuming from the object if it was assembled.
                records.transition(id, Upload.State.COMPLETING, Upload.State.PENDING);
                Log.warnf("Upload %s: storage went away while completing it, pending again: %s", id, e.toString());
                throw new ApiException(503, "Service unavailable", "object storage is out of reach for a moment; "
                        + "the upload is intact: complete it again shortly").with("uploadId", id)
                        .retryAfter(Unavailable.RETRY_AFTER);
            }
            if (upload.sha256 != null && !upload.sha256.equals(copied.sha256())) {
                throw intake.refuse(upload, 422, "Checksum mismatch",
                        UploadLimits.checksumMismatch(upload.sha256, copied.sha256()));
            }
            return intake.accept(upload, copy, copied);
        } finally {
            copies.delete(copy);
        }
    }

    /** Checks every part is there with its exact size, then assembles them into the object. */
    private void assemble(Upload upload) {
        UUID id = upload.id;
        List<UploadStorage.StoredPart> parts = storage.listParts(upload.objectKey, upload.s3UploadId);
        List<Integer> missing = missing(upload, parts);
        if (assembledEarlier(upload, missing)) {
            return;
        }
        if (!missing.isEmpty()) {
            // Not a failure: the client resumes by uploading these parts and completing again.
            records.transition(id, Upload.State.COMPLETING, Upload.State.PENDING);
            throw ApiException.conflict("parts " + missing + " are not uploaded yet; upload them and complete again")
                    .with("missingParts", missing);
        }
        long received = parts.stream().mapToLong(UploadStorage.StoredPart::size).sum();
        String wrongPart = wrongPart(upload, parts);
        if (received != upload.size || wrongPart != null) {
            throw intake.refuse(upload, 422, "Size mismatch", "received " + received + " bytes but "
                    + upload.size + " were declared" + (wrongPart == null ? "" : " (" + wrongPart + ")"));
        }
        storage.completeMultipart(upload.objectKey, upload.s3UploadId,
                parts.stream().filter(p -> p.number() <= upload.partCount()).toList());
    }

    /**
     * Whether a completion that storage cut off had assembled the parts already: the multipart upload is gone then
     * (it lists no parts), and the object, which only that step writes, holds the declared size.
     */
    private boolean assembledEarlier(Upload upload, List<Integer> missing) {
        return !missing.isEmpty() && storage.size(upload.objectKey) == upload.size;
    }

    /** The local copy the probe needs, with its size and SHA-256. */
    private LocalCopy.Copied readBack(Upload upload, Path copy) throws IOException {
        LocalCopy.Copied copied;
        try (InputStream in = storage.open(upload.objectKey)) {
            copied = copies.copy(in, copy);
        }
        if (copied.size() != upload.size) {
            // The parts were checked: a read that storage ended early, never a source to accept.
            throw new IOException("read " + copied.size() + " of " + upload.size + " bytes back");
        }
        return copied;
    }

    public void abort(String producerId, UUID id) {
        Upload upload = records.owned(producerId, id);
        if (upload.state == Upload.State.ABORTED) {
            return;
        }
        if (!records.transition(id, Upload.State.PENDING, Upload.State.ABORTED)) {
            throw ApiException.conflict("upload '" + id + "' is " + upload.state.name().toLowerCase()
                    + " and can no longer be aborted");
        }
        discards.discardAndFinish(upload, Upload.State.ABORTED, "aborted by the producer");
    }

    private UploadView view(Upload upload) {
        if (upload.state != Upload.State.PENDING) {
            return UploadView.of(upload);
        }
        List<UploadStorage.StoredPart> parts = storage.listParts(upload.objectKey, upload.s3UploadId);
        List<Integer> missing = missing(upload, parts);
        if (assembledEarlier(upload, missing)) {
            return UploadView.of(upload);
        }
        Duration expiry = config.presignExpiry();
        Instant until = Instant.now().plus(expiry);
        if (until.isAfter(upload.expiresAt)) {
            until = upload.expiresAt;
            expiry = Duration.between(Instant.now(), until);
        }
        List<PartUrl> urls = new ArrayList<>();
        for (int number : missing) {
            urls.add(new PartUrl(number, upload.expectedPartSize(number),
                    storage.presignPart(upload.objectKey, upload.s3UploadId, number, expiry)));
        }
        List<StoredPartView> stored = parts.stream()
                .map(p -> new StoredPartView(p.number(), p.size(), p.etag())).toList();
        return UploadView.of(upload, stored, missing, urls, until);
    }

    private static List<Integer> missing(Upload upload, List<UploadStorage.StoredPart> parts) {
        Map<Integer, UploadStorage.StoredPart> byNumber = parts.stream()
                .collect(Collectors.toMap(UploadStorage.StoredPart::number, Function.identity()));
        List<Integer> missing = new ArrayList<>();
        for (int n = 1; n <= upload.partCount(); n++) {
            if (!byNumber.containsKey(n)) {
                missing.add(n);
            }
        }
        return missing;
    }

    private static String wrongPart(Upload upload, List<UploadStorage.StoredPart> parts) {
        for (UploadStorage.StoredPart p : parts) {
            if (p.number() > upload.partCount()) {
                return "part " + p.number() + " is beyond the last part " + upload.partCount();
            }
            if (p.size() != upload.expectedPartSize(p.number())) {
                return "part " + p.number() + " has " + p.size() + " bytes, expected "
                        + upload.expectedPartSize(p.number());
            }
        }
        return null;
    }

    /** The configured part size, raised in whole MiB when the file would otherwise need over 10,000 parts. */
    private long partSize(long size) {
        long minimum = (size + MAX_PARTS - 1) / MAX_PARTS;
        long configured = config.partSize().asLongValue();
        return Math.max(configured, (minimum + MIB - 1) / MIB * MIB);
    }

    private static String reasonSuffix(Upload upload) {
        return upload.failureReason == null ? "" : ": " + upload.failureReason;
    }
}

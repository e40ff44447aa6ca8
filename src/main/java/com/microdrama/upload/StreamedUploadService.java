package com.microdrama.upload;

import com.microdrama.core.error.ApiException;
import com.microdrama.upload.dto.SourceAccepted;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sources streamed through the API. The body is read one part at a time into a single reused buffer: each part
 * goes to object storage (an S3 multipart upload) and to the local copy the probe needs, so heap use is one part
 * per upload whatever the file size. Blocking: runs on a worker thread.
 */
@ApplicationScoped
public class StreamedUploadService {

    private static final int MAX_PARTS = 10_000;

    private final UploadRecords records;
    private final UploadStorage storage;
    private final SourceIntake intake;
    private final LocalCopy copies;
    private final UploadConfig config;
    private final UploadAdmission admission;
    private final UploadDiscards discards;

    StreamedUploadService(UploadRecords records, UploadStorage storage, SourceIntake intake, LocalCopy copies,
                          UploadConfig config, UploadAdmission admission, UploadDiscards discards) {
        this.admission = admission;
        this.discards = discards;
        this.records = records;
        this.storage = storage;
        this.intake = intake;
        this.copies = copies;
        this.config = config;
    }

    /**
     * Receives a whole source. {@code localFile} is set when the bytes are already on local disk (a multipart form
     * upload, which Quarkus spools to a file): then that file is probed and no second copy is made.
     */
    public SourceAccepted receive(String producerId, UUID seriesId, int number, InputStream body, Path localFile,
                                  String contentType, Long declaredLength, String expectedSha256) {
        long max = config.maxSize().asLongValue();
        if (declaredLength != null && declaredLength > max) {
            throw UploadLimits.tooLarge(declaredLength, max);
        }
        records.requireOwned(producerId, seriesId);
        try (UploadAdmission.Ticket admitted = admission.admit(producerId)) {
            return receiveAdmitted(producerId, seriesId, number, body, localFile, contentType, max, expectedSha256);
        }
    }

    private SourceAccepted receiveAdmitted(String producerId, UUID seriesId, int number, InputStream body,
                                           Path localFile, String contentType, long max, String expectedSha256) {
        Upload upload = UploadRecords.draft(producerId, seriesId, number, Upload.Method.STREAMED,
                contentType == null ? "application/octet-stream" : contentType);
        upload.s3UploadId = discards.startMultipart(upload);
        try {
            records.insert(upload);
        } catch (RuntimeException e) {
            // The database is away: no row will ever point at this multipart upload, so it goes now.
            storage.discard(upload.objectKey, upload.s3UploadId);
            throw e;
        }
        Path copy = localFile != null ? localFile : copies.newFile();
        try {
            LocalCopy.Copied copied = store(upload, body, localFile == null ? copy : null, max);
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(copied.sha256())) {
                throw intake.refuse(upload, 422, "Checksum mismatch", UploadLimits.checksumMismatch(expectedSha256, copied.sha256()));
            }
            records.transition(upload.id, Upload.State.PENDING, Upload.State.COMPLETING);
            return intake.accept(upload, copy, copied);
        } catch (IOException e) {
            Log.infof("Streamed upload %s interrupted: %s", upload.id, e.getMessage());
            throw intake.refuse(upload, 400, "Upload interrupted",
                    "the upload was interrupted before the end of the file; please upload again");
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // Error too: whatever stopped the upload, its multipart upload is aborted now, not by the sweep a day later.
            intake.fail(upload, "the upload failed on our side; please upload again");
            throw e;
        } finally {
            if (localFile == null) {
                copies.delete(copy);
            }
        }
    }

    /** The part size streamed uploads use: the configured one, raised when the largest file would need more parts than S3 allows. */
    static int partSize(UploadConfig config) {
        long max = config.maxSize().asLongValue();
        return (int) Math.max(config.partSize().asLongValue(), (max + MAX_PARTS - 1) / MAX_PARTS);
    }

    private LocalCopy.Copied store(Upload upload, InputStream body, Path tee, long max) throws IOException {
        int partSize = partSize(config);
        byte[] buffer = new byte[partSize];
        MessageDigest sha = LocalCopy.sha256();
        List<UploadStorage.StoredPart> parts = new ArrayList<>();
        long total = 0;
        try (OutputStream out = tee == null ? OutputStream.nullOutputStream() : Files.newOutputStream(tee)) {
            int read;
            while ((read = body.readNBytes(buffer, 0, partSize)) > 0) {
                total += read;
                if (total > max) {
                    throw intake.refuse(upload, 413, "Payload too large", UploadLimits.tooLargeReason(total, max));
                }
                sha.update(buffer, 0, read);
                out.write(buffer, 0, read);
                int number = parts.size() + 1;
                parts.add(new UploadStorage.StoredPart(number, read,
                        storage.uploadPart(upload.objectKey, upload.s3UploadId, number, buffer, read)));
            }
        }
        if (total == 0) {
            throw intake.refuse(upload, 422, "Media refused", "the file is empty (0 bytes)");
        }
        storage.completeMultipart(upload.objectKey, upload.s3UploadId, parts);
        Log.debugf("Streamed %d bytes in %d parts to %s", total, parts.size(), upload.objectKey);
        return new LocalCopy.Copied(total, LocalCopy.hex(sha));
    }

}

package com.microdrama.upload;

import com.microdrama.core.error.Unavailable;
import com.microdrama.core.persistence.Blocking;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Closing a failed or aborted upload with what it stored removed, even when object storage is cut at that moment.
 * A clean-up that does not reach storage is remembered on the upload's row ({@code discard_pending}); every few
 * seconds, once storage answers, its multipart upload is aborted, its object removed and the mark cleared. Without
 * it the multipart upload stayed pending until the sweep's orphan pass a day later, and the object for ever. Both
 * steps are idempotent (aborting a gone multipart upload, removing a missing object), so any number of API processes
 * may retry the same row at once: no row is claimed.
 */
@ApplicationScoped
public class UploadDiscards {

    private static final int BATCH = 100;

    private final UploadRepository uploads;
    private final UploadRecords records;
    private final UploadStorage storage;

    UploadDiscards(UploadRepository uploads, UploadRecords records, UploadStorage storage) {
        this.uploads = uploads;
        this.records = records;
        this.storage = storage;
    }

    /** Removes what the upload stored and closes its row in {@code state}, remembering a removal storage refused. */
    public void discardAndFinish(Upload upload, Upload.State state, String reason) {
        boolean discarded = storage.discard(upload.objectKey, upload.s3UploadId);
        records.finish(upload.id, state, reason, !discarded);
    }

    /**
     * Starts the upload's multipart upload. When the connection to storage goes before its answer, storage may have
     * created one all the same: the upload is then recorded failed with its clean-up pending, and {@link #retry}
     * aborts whatever storage holds under its key once it answers.
     */
    public String startMultipart(Upload upload) {
        try {
            return storage.startMultipart(upload.objectKey, upload.contentType);
        } catch (UploadStorage.StorageFailure e) {
            if (Unavailable.causedBy(e)) {
                try {
                    records.insertFailed(upload, "object storage went away as the upload started");
                } catch (RuntimeException databaseAway) {
                    // Then only the sweep's orphan pass finds what storage may hold, a day later.
                    e.addSuppressed(databaseAway);
                }
            }
            throw e;
        }
    }

    @Scheduled(every = "${upload.discard-retry-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            retry();
        } catch (RuntimeException e) {
            Log.debugf("Retrying upload discards postponed: %s", e.getMessage());
        }
    }

    /** One round: how many remembered uploads were removed from storage (0 while it is still away). */
    public int retry() {
        int done = 0;
        while (true) {
            List<Upload> left = Blocking.await(() -> Panache.withSession(() -> uploads.discardPending(BATCH)));
            for (Upload u : left) {
                try {
                    storage.removeAll(u.objectKey, u.s3UploadId);
                } catch (UploadStorage.StorageFailure e) {
                    // Storage is still away: the rest waits for the next round.
                    Log.debugf("Upload %s: storage still refuses its clean-up: %s", u.id, e.getMessage());
                    return done;
                }
                Blocking.await(() -> Panache.withTransaction(() -> uploads.discarded(u.id)));
                done++;
                Log.infof("Upload %s: what it stored is removed now that storage answers", u.id);
            }
            if (left.size() < BATCH) {
                return done;
            }
        }
    }
}

package com.microdrama.upload;

import com.microdrama.core.persistence.Blocking;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Aborts uploads that were never completed within the TTL and removes what they left in object storage, then
 * aborts any multipart upload under raw/ older than the TTL that no row knows about (a crash between creating it
 * and recording it). Safe to run on several instances at once: every step is idempotent.
 */
@ApplicationScoped
public class UploadSweeper {

    /** A completing upload is probing right now; give it this long past its expiry before calling it dead. */
    private static final Duration COMPLETING_GRACE = Duration.ofHours(1);
    private static final int BATCH = 500;

    private final UploadRepository uploads;
    private final UploadRecords records;
    private final UploadStorage storage;
    private final UploadDiscards discards;
    private final UploadConfig config;

    UploadSweeper(UploadRepository uploads, UploadRecords records, UploadStorage storage, UploadDiscards discards,
                  UploadConfig config) {
        this.uploads = uploads;
        this.records = records;
        this.storage = storage;
        this.discards = discards;
        this.config = config;
    }

    @Scheduled(every = "${upload.sweep-every}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            sweep(Instant.now());
        } catch (RuntimeException e) {
            Log.warnf("Upload sweep failed, will retry on the next run: %s", e.getMessage());
        }
    }

    /** Returns how many uploads were aborted. */
    public int sweep(Instant now) {
        int swept = 0;
        // One batch per run; a backlog drains over the next runs.
        List<Upload> expired = Blocking.await(() -> Panache.withSession(() -> uploads.expired(now, BATCH)));
        for (Upload u : expired) {
            if (u.state == Upload.State.COMPLETING && u.expiresAt.plus(COMPLETING_GRACE).isAfter(now)) {
                continue;
            }
            // Claim the row first, so that a client completing it at this very moment is not pulled from under.
            if (records.transition(u.id, u.state, Upload.State.ABORTED)) {
                discards.discardAndFinish(u, Upload.State.ABORTED,
                        "expired: not completed within " + config.ttl().toHours() + " h");
                swept++;
            }
        }
        Instant orphanBefore = now.minus(config.ttl()).minus(COMPLETING_GRACE);
        for (UploadStorage.PendingMultipart m : storage.pendingMultiparts("raw/")) {
            if (m.initiated().isBefore(orphanBefore)) {
                storage.abortMultipart(m.key(), m.uploadId());
            }
        }
        if (swept > 0) {
            Log.infof("Upload sweep aborted %d expired uploads", swept);
        }
        return swept;
    }
}

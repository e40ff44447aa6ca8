package com.microdrama.upload;

import com.microdrama.catalogue.ProducerCatalogueService;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.persistence.Blocking;
import io.quarkus.hibernate.reactive.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** The upload rows, for the blocking upload services: each call is its own short transaction. */
@ApplicationScoped
public class UploadRecords {

    private final UploadRepository uploads;
    private final ProducerCatalogueService catalogue;
    private final UploadConfig config;

    UploadRecords(UploadRepository uploads, ProducerCatalogueService catalogue, UploadConfig config) {
        this.uploads = uploads;
        this.catalogue = catalogue;
        this.config = config;
    }

    /** Fails with 404/403 unless the series exists and belongs to the producer. */
    public void requireOwned(String producerId, UUID seriesId) {
        Blocking.await(() -> Panache.withSession(() -> catalogue.owned(producerId, seriesId)));
    }

    /** A fresh upload row; the object key is the server's own, never derived from a client's file name. */
    public static Upload draft(String producerId, UUID seriesId, int number, Upload.Method method, String contentType) {
        Upload u = new Upload();
        u.id = UUID.randomUUID();
        u.seriesId = seriesId;
        u.episodeNumber = number;
        u.producerId = producerId;
        u.objectKey = "raw/" + seriesId + "/" + number + "/" + u.id;
        u.method = method;
        u.contentType = contentType;
        u.state = Upload.State.PENDING;
        u.createdAt = Instant.now();
        return u;
    }

    public Upload insert(Upload u) {
        u.expiresAt = u.createdAt.plus(config.ttl());
        return Blocking.await(() -> Panache.withTransaction(() -> uploads.persist(u)));
    }

    /** Records an upload that failed as it started, what storage may hold of it left to UploadDiscards. */
    public void insertFailed(Upload u, String reason) {
        u.state = Upload.State.FAILED;
        u.failureReason = reason;
        u.finishedAt = Instant.now();
        u.discardPending = true;
        insert(u);
    }

    /** The upload, if it exists (404) and is the caller's (403). */
    public Upload owned(String producerId, UUID id) {
        Upload u = Blocking.await(() -> Panache.withSession(() -> uploads.findById(id)));
        if (u == null) {
            throw ApiException.notFound("upload", id);
        }
        if (!u.producerId.equals(producerId)) {
            throw ApiException.forbidden("upload '" + id + "' belongs to another producer");
        }
        return u;
    }

    public boolean transition(UUID id, Upload.State from, Upload.State to) {
        return Blocking.await(() -> Panache.withTransaction(() -> uploads.transition(id, from, to)));
    }

    /** Closes the upload; {@code discardPending}: what it stored is still in storage, for UploadDiscards. */
    public void finish(UUID id, Upload.State state, String reason, boolean discardPending) {
        Blocking.await(() -> Panache.withTransaction(() -> uploads.findById(id).invoke(u -> {
            u.state = state;
            u.failureReason = reason;
            u.finishedAt = Instant.now();
            u.discardPending = discardPending;
        })));
    }
}

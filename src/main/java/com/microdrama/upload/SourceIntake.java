package com.microdrama.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microdrama.catalogue.EpisodeLifecycle;
import com.microdrama.catalogue.EpisodeLifecycle.NewSource;
import com.microdrama.catalogue.EpisodeVersions;
import com.microdrama.catalogue.VersionView;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.media.MediaProbe;
import com.microdrama.core.media.MediaRejected;
import com.microdrama.core.media.ProbeResult;
import com.microdrama.core.error.Unavailable;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.transcode.TranscodeQueue;
import com.microdrama.upload.dto.SourceAccepted;
import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The last step of both ways in, once the whole source is in object storage and a local copy is at hand: probe,
 * then one transaction that creates the episode version, queues its transcode and closes the upload. A refusal
 * removes what was stored and records the reason on the upload. Blocking: worker threads only.
 */
@ApplicationScoped
public class SourceIntake {

    private final MediaProbe probe;
    private final UploadDiscards discards;
    private final UploadRepository uploads;
    private final EpisodeLifecycle lifecycle;
    private final EpisodeVersions versions;
    private final TranscodeQueue queue;
    private final Pool pool;
    private final ObjectMapper json;

    SourceIntake(MediaProbe probe, UploadDiscards discards, UploadRepository uploads, EpisodeLifecycle lifecycle,
                 EpisodeVersions versions, TranscodeQueue queue, Pool pool, ObjectMapper json) {
        this.probe = probe;
        this.discards = discards;
        this.uploads = uploads;
        this.lifecycle = lifecycle;
        this.versions = versions;
        this.queue = queue;
        this.pool = pool;
        this.json = json;
    }

    public SourceAccepted accept(Upload upload, Path localCopy, LocalCopy.Copied copied) {
        ProbeResult result;
        try {
            result = probe.probe(localCopy);
        } catch (MediaRejected e) {
            Log.infof("Upload %s refused: %s", upload.id, e.reason());
            throw refuse(upload, 422, "Media refused", e.reason());
        }
        NewSource source = new NewSource(upload.objectKey, copied.size(), copied.sha256(), toJson(result));
        try {
            VersionView version = Blocking.await(() -> pool.withTransaction(tx -> lifecycle
                    .addVersion(tx, upload.seriesId, upload.episodeNumber, source)
                    .call(v -> queue.enqueue(tx, v.id()))
                    .call(v -> uploads.completed(tx, upload.id, v.id(), copied.size(), copied.sha256()))));
            Log.infof("Upload %s accepted as version %d of episode %d", upload.id, version.versionNumber(),
                    upload.episodeNumber);
            return accepted(upload.id, upload.episodeNumber, version, result);
        } catch (RuntimeException e) {
            if (Unavailable.causedBy(e)) {
                // The database went away mid-transaction: the version may have been committed all the same, and
                // deleting the object would leave it without its source. Both stay as they are: a completed row
                // keeps its object, and the sweep aborts a row still 'completing' with its object.
                // Answered here as a 503 of its own, an ApiException, so that no caller's clean-up discards it.
                Log.warnf("Upload %s: the database went away while recording it (%s); left to the sweep",
                        upload.id, e.toString());
                throw new ApiException(503, "Service unavailable", "the database went away while this upload was "
                        + "being recorded, so it may or may not have been: GET /api/v1/producer/uploads/" + upload.id
                        + " tells once the service is back, or upload again").with("uploadId", upload.id)
                        .retryAfter(Unavailable.RETRY_AFTER);
            }
            // Nothing was acknowledged: leave nothing behind, so that the client's retry starts clean.
            fail(upload, "the upload could not be recorded; please upload again");
            throw e;
        }
    }

    /** Removes what the upload stored, marks it failed with the reason, and answers the same reason. */
    public ApiException refuse(Upload upload, int status, String title, String reason) {
        fail(upload, reason);
        return new ApiException(status, title, reason).with("uploadId", upload.id).with("state", "failed");
    }

    public void fail(Upload upload, String reason) {
        try {
            discards.discardAndFinish(upload, Upload.State.FAILED, reason);
        } catch (RuntimeException e) {
            Log.warnf("Could not mark upload %s failed (the sweep will): %s", upload.id, e.getMessage());
        }
    }

    /** The outcome of an upload completed earlier, for a client that retries its completion. */
    public SourceAccepted accepted(Upload upload) {
        VersionView version = Blocking.await(() -> versions.version(upload.versionId));
        return accepted(upload.id, upload.episodeNumber, version, fromJson(version.probeJson()));
    }

    private static SourceAccepted accepted(UUID uploadId, int number, VersionView v, ProbeResult probe) {
        return new SourceAccepted(uploadId, v.episodeId(), number, v.id(), v.versionNumber(), v.state(),
                v.sourceSize(), v.sourceSha256(), probe);
    }

    private String toJson(ProbeResult result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ProbeResult fromJson(String probeJson) {
        try {
            return probeJson == null ? null : json.readValue(probeJson, ProbeResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}

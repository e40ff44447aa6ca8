package com.microdrama.upload.tracks;

import com.microdrama.catalogue.MediaTrack;
import com.microdrama.catalogue.MediaTracks;
import com.microdrama.catalogue.MediaTracks.Target;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.i18n.Languages;
import com.microdrama.core.media.MediaProbe;
import com.microdrama.core.media.MediaRejected;
import com.microdrama.core.persistence.Blocking;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.transcode.TranscodeQueue;
import com.microdrama.upload.LocalCopy;
import com.microdrama.upload.UploadConfig;
import com.microdrama.upload.UploadLimits;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A producer's dubbed audio for one episode and language: an audio file, or a video whose audio is taken. Probed
 * behind the same fences as video sources and held to the episode's duration; then stored and handed to the
 * transcode queue as an audio-only job, in one transaction with its track row. A refused file stores nothing.
 */
@ApplicationScoped
public class DubIntake {

    private final MediaTracks tracks;
    private final TranscodeQueue queue;
    private final ObjectStorage storage;
    private final MediaProbe prober;
    private final LocalCopy local;
    private final TracksConfig config;
    private final UploadConfig uploads;
    private final Pool pool;

    DubIntake(MediaTracks tracks, TranscodeQueue queue, ObjectStorage storage, MediaProbe prober, LocalCopy local,
              TracksConfig config, UploadConfig uploads, Pool pool) {
        this.tracks = tracks;
        this.queue = queue;
        this.storage = storage;
        this.prober = prober;
        this.local = local;
        this.config = config;
        this.uploads = uploads;
        this.pool = pool;
    }

    public TrackView put(String producerId, UUID seriesId, int number, String language, InputStream body,
                         String contentType) {
        String tag = Languages.normalise("language", language);
        Target target = Blocking.await(() -> tracks.target(producerId, seriesId, number));
        if (tag.equalsIgnoreCase(target.seriesLanguage())) {
            throw ApiException.badRequest("language", "is the series' own language, the original audio of its episodes");
        }
        Path file = local.newFile();
        try {
            long size = local.copy(body, file).size();
            if (size > uploads.maxSize().asLongValue()) {
                throw new ApiException(413, "Payload too large", UploadLimits.declaredTooLarge(size, uploads.maxSize().asLongValue()));
            }
            MediaProbe.AudioFacts facts;
            try {
                facts = prober.probeAudio(file);
            } catch (MediaRejected e) {
                throw refused(e.reason());
            }
            double episode = target.durationMs() / 1000.0;
            double difference = facts.durationSeconds() - episode;
            double tolerance = config.audioDurationTolerance().toMillis() / 1000.0;
            if (Math.abs(difference) > tolerance) {
                throw refused(String.format(Locale.ROOT, "the audio lasts %.2f s and the episode %.2f s: %.2f s %s; "
                                + "at most %.2f s of difference is accepted", facts.durationSeconds(), episode,
                        Math.abs(difference), difference < 0 ? "shorter" : "longer", tolerance))
                        .with("differenceSeconds", Math.round(difference * 1000) / 1000.0);
            }
            UUID id = UUID.randomUUID();
            String key = "raw/dubs/" + target.episodeId() + "/" + id;
            storage.upload(file, key, contentType == null ? "application/octet-stream" : contentType);
            try {
                UUID jobId = Blocking.await(() -> pool.withTransaction(tx -> tracks.addDub(tx, id, target.versionId(),
                                tag, Languages.nativeName(tag), key)
                        .flatMap(x -> queue.enqueueDub(tx, target.versionId(), id))));
                return new TrackView(id, MediaTrack.AUDIO, tag, Languages.nativeName(tag), "processing", jobId, null);
            } catch (RuntimeException e) {
                storage.delete(List.of(key));
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the dub could not be stored: " + e.getMessage(), e);
        } finally {
            local.delete(file);
        }
    }

    private static ApiException refused(String reason) {
        return new ApiException(422, "Audio refused", reason);
    }
}

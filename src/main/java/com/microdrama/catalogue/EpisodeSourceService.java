package com.microdrama.catalogue;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.UUID;

/**
 * Where a new source becomes an episode version. Runs inside the caller's transaction, so that the version, the
 * episode and the caller's own rows (the transcode job, the upload) commit or vanish together.
 */
@ApplicationScoped
public class EpisodeSourceService {

    /** The source as stored and probed. */
    public record NewSource(String key, long size, String sha256, String probeJson) {
    }

    private final SeriesRepository series;
    private final EpisodeRepository episodes;

    EpisodeSourceService(SeriesRepository series, EpisodeRepository episodes) {
        this.series = series;
        this.episodes = episodes;
    }

    /**
     * Creates the episode if it does not exist yet, then its next version (QUEUED). The episode keeps its current
     * version, so a re-upload never interrupts playback; it shows PROCESSING until the new version is ready.
     */
    public Uni<EpisodeVersion> addVersion(UUID seriesId, int number, NewSource source) {
        // Locking the series serialises concurrent uploads to it: no duplicate episode, no duplicate version number.
        return series.findById(seriesId, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(s -> episodes.findByNumber(seriesId, number))
                .flatMap(existing -> existing != null
                        ? Uni.createFrom().item(existing)
                        : episodes.persist(ProducerCatalogueService.newEpisode(seriesId, number)))
                .flatMap(episode -> nextVersionNumber(episode.id).flatMap(next -> {
                    EpisodeVersion v = new EpisodeVersion();
                    v.id = UUID.randomUUID();
                    v.episodeId = episode.id;
                    v.versionNumber = next;
                    v.sourceKey = source.key();
                    v.sourceSize = source.size();
                    v.sourceSha256 = source.sha256();
                    v.probe = source.probeJson();
                    v.state = EpisodeVersion.State.QUEUED;
                    v.createdAt = Instant.now();
                    episode.state = EpisodeState.PROCESSING;
                    episode.updatedAt = v.createdAt;
                    return Panache.getSession().flatMap(session -> session.persist(v)).replaceWith(v);
                }));
    }

    private static Uni<Integer> nextVersionNumber(UUID episodeId) {
        return Panache.getSession().flatMap(session -> session
                .createSelectionQuery("select coalesce(max(v.versionNumber), 0) from EpisodeVersion v "
                        + "where v.episodeId = :episode", Integer.class)
                .setParameter("episode", episodeId)
                .getSingleResult())
                .map(max -> max + 1);
    }
}

package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.EpisodeRequest;
import com.microdrama.catalogue.dto.ProducerEpisode;
import com.microdrama.catalogue.dto.ProducerSeries;
import com.microdrama.catalogue.dto.ProducerSeriesPage;
import com.microdrama.catalogue.dto.QualityReport;
import com.microdrama.catalogue.dto.SeriesRequest;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageCursor;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;

/** Producers manage their own series and episodes; touching anyone else's is refused with 403. */
@ApplicationScoped
public class ProducerCatalogueService {

    private final SeriesRepository series;
    private final EpisodeRepository episodes;
    private final EpisodeLifecycle lifecycle;
    private final VersionJobs jobs;
    private final VersionQuality quality;

    ProducerCatalogueService(SeriesRepository series, EpisodeRepository episodes, EpisodeLifecycle lifecycle,
                             VersionJobs jobs, VersionQuality quality) {
        this.series = series;
        this.episodes = episodes;
        this.lifecycle = lifecycle;
        this.jobs = jobs;
        this.quality = quality;
    }

    @WithTransaction
    public Uni<ProducerSeries> create(String producerId, SeriesRequest request) {
        requirePresent("slug", request.slug());
        requirePresent("title", request.title());
        requirePresent("language", request.language());
        return series.slugTaken(request.slug()).flatMap(taken -> {
            if (taken) {
                throw ApiException.conflict("slug '" + request.slug() + "' is already taken by another series");
            }
            Series s = new Series();
            s.id = UUID.randomUUID();
            s.producerId = producerId;
            s.status = SeriesStatus.DRAFT;
            s.synopsis = "";
            s.genres = List.of();
            s.tags = List.of();
            s.createdAt = Instant.now();
            apply(s, request);
            Log.debugf("Producer %s creates series %s", producerId, s.slug);
            return series.persist(s).map(ProducerSeries::of);
        });
    }

    @WithTransaction
    public Uni<ProducerSeries> update(String producerId, UUID seriesId, SeriesRequest request) {
        return owned(producerId, seriesId).flatMap(s -> {
            if (request.slug() == null || request.slug().equals(s.slug)) {
                apply(s, request);
                return Uni.createFrom().item(ProducerSeries.of(s));
            }
            return series.slugTaken(request.slug()).map(taken -> {
                if (taken) {
                    throw ApiException.conflict("slug '" + request.slug() + "' is already taken by another series");
                }
                apply(s, request);
                return ProducerSeries.of(s);
            });
        });
    }

    /** draft → published → completed, and back to draft with unpublish. */
    @WithTransaction
    public Uni<ProducerSeries> changeStatus(String producerId, UUID seriesId, SeriesStatus target) {
        return owned(producerId, seriesId).map(s -> {
            if (target == SeriesStatus.COMPLETED && s.status == SeriesStatus.DRAFT) {
                throw ApiException.conflict("a draft series cannot be completed; publish it first");
            }
            if (target != SeriesStatus.DRAFT && s.publishedAt == null) {
                s.publishedAt = Instant.now();
            }
            if (target == SeriesStatus.DRAFT) {
                s.publishedAt = null;
            }
            s.status = target;
            s.updatedAt = Instant.now();
            return ProducerSeries.of(s);
        });
    }

    @WithSession
    public Uni<ProducerSeries> get(String producerId, UUID seriesId) {
        return owned(producerId, seriesId).map(ProducerSeries::of);
    }

    @WithSession
    public Uni<ProducerSeriesPage> list(String producerId, PageCursor after, int limit) {
        return series.producerPage(producerId, after, limit + 1).map(rows -> {
            List<Series> page = rows.subList(0, Math.min(limit, rows.size()));
            String next = rows.size() > limit
                    ? PageCursor.after(page.get(page.size() - 1).createdAt, page.get(page.size() - 1).id).encode()
                    : null;
            return new ProducerSeriesPage(page.stream().map(ProducerSeries::of).toList(), next);
        });
    }

    /** Whether some series, any producer's and in any state, already has this slug. */
    @WithSession
    public Uni<Boolean> slugTaken(String slug) {
        return series.slugTaken(slug);
    }

    @WithSession
    public Uni<List<ProducerEpisode>> episodes(String producerId, UUID seriesId) {
        return owned(producerId, seriesId)
                .flatMap(s -> episodes.allOf(s.id))
                .flatMap(list -> latestJobs(list.stream().map(e -> e.id).toList())
                        .map(jobs -> list.stream().map(e -> ProducerEpisode.of(e, jobs.get(e.id))).toList()));
    }

    @WithTransaction
    public Uni<ProducerEpisode> createEpisode(String producerId, UUID seriesId, EpisodeRequest request) {
        requirePresent("number", request.number());
        return owned(producerId, seriesId)
                .flatMap(s -> episodes.findByNumber(s.id, request.number()).flatMap(existing -> {
                    if (existing != null) {
                        throw ApiException.conflict("episode " + request.number() + " already exists in this series");
                    }
                    Episode e = newEpisode(seriesId, request.number());
                    e.releaseAt = s.dailySlotOf(e.number);
                    applyEpisode(e, request);
                    return episodes.persist(e).map(ProducerEpisode::of);
                }));
    }

    @WithTransaction
    public Uni<ProducerEpisode> updateEpisode(String producerId, UUID seriesId, int number, EpisodeRequest request) {
        if (request.number() != null && request.number() != number) {
            throw ApiException.badRequest("number", "cannot be changed; it names the episode");
        }
        return ownedEpisode(producerId, seriesId, number).flatMap(e -> {
            applyEpisode(e, request);
            return withJob(e);
        });
    }

    @WithTransaction
    public Uni<ProducerEpisode> publishEpisode(String producerId, UUID seriesId, int number, boolean published) {
        return ownedEpisode(producerId, seriesId, number).flatMap(e -> {
            lifecycle.publish(e, published);
            return withJob(e);
        });
    }

    /** The quality report of the episode's current version; 404 while it has none ready. */
    @WithSession
    public Uni<QualityReport> quality(String producerId, UUID seriesId, int number) {
        return ownedEpisode(producerId, seriesId, number).flatMap(e -> {
            if (e.currentVersionId == null) {
                throw new ApiException(404, "Not found", "episode " + number + " has no ready version yet");
            }
            return quality.report(e.currentVersionId).map(rungs -> new QualityReport(e.currentVersionId, rungs));
        });
    }

    /** The producer's view of one episode, with the job of its newest version like in the list. */
    private Uni<ProducerEpisode> withJob(Episode e) {
        return latestJobs(List.of(e.id)).map(jobs -> ProducerEpisode.of(e, jobs.get(e.id)));
    }

    /** The job of each episode's newest version, by episode id. */
    private Uni<Map<UUID, ProducerEpisode.Job>> latestJobs(List<UUID> episodeIds) {
        return episodes.newestVersions(episodeIds).flatMap(newest -> jobs.jobsOf(newest.values()).map(byVersion -> {
            Map<UUID, ProducerEpisode.Job> byEpisode = new HashMap<>();
            newest.forEach((episode, version) -> byEpisode.put(episode, byVersion.get(version)));
            return byEpisode;
        }));
    }

    /** The series, if it exists (404) and belongs to this producer (403). */
    public Uni<Series> owned(String producerId, UUID seriesId) {
        return series.findById(seriesId).map(s -> {
            if (s == null) {
                throw ApiException.notFound("series", seriesId);
            }
            if (!s.ownedBy(producerId)) {
                throw ApiException.forbidden("series '" + seriesId + "' belongs to another producer");
            }
            return s;
        });
    }

    Uni<Episode> ownedEpisode(String producerId, UUID seriesId, int number) {
        return owned(producerId, seriesId)
                .flatMap(s -> episodes.findByNumber(s.id, number))
                .map(e -> {
                    if (e == null) {
                        throw ApiException.notFound("episode", number);
                    }
                    return e;
                });
    }

    static Episode newEpisode(UUID seriesId, int number) {
        Episode e = new Episode();
        e.id = UUID.randomUUID();
        e.seriesId = seriesId;
        e.number = number;
        e.title = "";
        e.state = EpisodeState.AWAITING_SOURCE;
        e.createdAt = Instant.now();
        e.updatedAt = e.createdAt;
        return e;
    }

    private static void apply(Series s, SeriesRequest r) {
        if (r.slug() != null) s.slug = r.slug();
        if (r.title() != null) s.title = r.title().strip();
        if (r.synopsis() != null) s.synopsis = r.synopsis();
        if (r.language() != null) s.language = r.language();
        if (r.genres() != null) s.genres = normalise(r.genres());
        if (r.tags() != null) s.tags = normalise(r.tags());
        if (r.freeEpisodeCount() != null) s.freeEpisodeCount = r.freeEpisodeCount();
        if (r.coinPrice() != null) s.coinPrice = r.coinPrice();
        s.updatedAt = Instant.now();
    }

    private static void applyEpisode(Episode e, EpisodeRequest r) {
        if (r.title() != null) e.title = r.title().strip();
        if (r.priceOverride() != null) e.priceOverride = r.priceOverride();
        if (Boolean.TRUE.equals(r.clearPriceOverride())) e.priceOverride = null;
        e.updatedAt = Instant.now();
    }

    /** Genres and tags are matched case-insensitively, so they are stored lowercase and without duplicates. */
    private static List<String> normalise(List<String> words) {
        return words.stream().map(w -> w.strip().toLowerCase(Locale.ROOT)).distinct().toList();
    }

    private static void requirePresent(String field, Object value) {
        if (value == null) {
            throw ApiException.badRequest(field, "is required");
        }
    }
}

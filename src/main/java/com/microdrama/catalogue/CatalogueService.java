package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.EpisodeView;
import com.microdrama.catalogue.dto.SeriesDetail;
import com.microdrama.catalogue.dto.SeriesPage;
import com.microdrama.catalogue.dto.SeriesSummary;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageCursor;
import com.microdrama.paywall.EntitlementService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What viewers can browse: published and completed series and their ready, published episodes. */
@ApplicationScoped
public class CatalogueService {

    private final SeriesRepository series;
    private final EpisodeRepository episodes;
    private final EntitlementService entitlements;

    CatalogueService(SeriesRepository series, EpisodeRepository episodes, EntitlementService entitlements) {
        this.series = series;
        this.episodes = episodes;
        this.entitlements = entitlements;
    }

    @WithSession
    public Uni<SeriesPage> list(SeriesFilter filter, PageCursor after, int limit) {
        Log.debugf("Listing series %s after %s", filter, after);
        return series.visiblePage(filter, after, limit + 1).map(rows -> {
            List<Series> page = rows.subList(0, Math.min(limit, rows.size()));
            String next = null;
            if (rows.size() > limit) {
                Series last = page.get(page.size() - 1);
                next = (filter.sort() == SeriesFilter.Sort.POPULAR
                        ? PageCursor.after(last.popularity, last.id)
                        : PageCursor.after(last.publishedAt, last.id)).encode();
            }
            return new SeriesPage(page.stream().map(SeriesSummary::of).toList(), next);
        });
    }

    @WithSession
    public Uni<SeriesDetail> detail(String idOrSlug) {
        return visibleSeries(idOrSlug)
                .flatMap(s -> episodes.countVisible(s.id).flatMap(count -> episodes.nextRelease(s.id)
                        .map(next -> SeriesDetail.of(s, count,
                                next == null ? null : new SeriesDetail.NextEpisode(next.number, next.releaseAt)))));
    }

    /**
     * The series' playable episodes in order, each with its lock state for this viewer (anonymous: free/locked).
     * The entitlement lookup runs after the Hibernate session is closed: holding a pooled connection while asking
     * the same pool for another (the PostgreSQL fallback when Redis is away) deadlocks the pool under load.
     */
    public Uni<List<EpisodeView>> episodes(String idOrSlug, Optional<String> viewerId) {
        return Panache.withSession(() -> visibleSeries(idOrSlug)
                        .flatMap(s -> episodes.visibleOf(s.id).map(list -> new SeriesEpisodes(s, list))))
                .flatMap(found -> viewerId
                        .map(viewer -> entitlements.unlockedNumbers(viewer, found.series().id,
                                found.episodes().stream().mapToInt(e -> e.number).max().orElse(0)))
                        .orElse(Uni.createFrom().item(Set.<Integer>of()))
                        .map(unlocked -> found.episodes().stream().map(e -> view(found.series(), e, unlocked)).toList()));
    }

    private record SeriesEpisodes(Series series, List<Episode> episodes) {
    }

    /** {@code unlocked} null means a VIP pass: every episode is open. */
    private static EpisodeView view(Series s, Episode e, Set<Integer> unlocked) {
        EpisodeView.Lock lock = s.isFree(e) ? EpisodeView.Lock.FREE
                : unlocked == null || unlocked.contains(e.number) ? EpisodeView.Lock.UNLOCKED
                : EpisodeView.Lock.LOCKED;
        return new EpisodeView(e.id, e.number, e.title, e.durationMs == null ? null : e.durationMs / 1000.0,
                "/api/v1/episodes/" + e.id + "/poster", lock, s.isFree(e) ? 0 : s.priceOf(e));
    }

    /** The storage key of a viewer-visible episode's poster. */
    @WithSession
    public Uni<String> posterKey(UUID episodeId) {
        return visibleVersion(episodeId).map(v -> v.posterKey);
    }

    @WithSession
    public Uni<String> thumbnailKey(UUID episodeId) {
        return visibleVersion(episodeId).map(v -> v.thumbnailKey);
    }

    private Uni<EpisodeVersion> visibleVersion(UUID episodeId) {
        return episodes.findById(episodeId)
                .flatMap(e -> e == null || !e.visibleToViewers()
                        ? Uni.createFrom().<Series>nullItem()
                        : series.findById(e.seriesId).map(s -> s != null && s.status != SeriesStatus.DRAFT ? s : null))
                .flatMap(s -> s == null
                        ? Uni.createFrom().<EpisodeVersion>nullItem()
                        : episodes.currentVersion(episodeId))
                .map(v -> {
                    if (v == null || v.posterKey == null) {
                        throw ApiException.notFound("episode", episodeId);
                    }
                    return v;
                });
    }

    private Uni<Series> visibleSeries(String idOrSlug) {
        return series.findByIdOrSlug(idOrSlug)
                .map(s -> {
                    if (s == null || s.status == SeriesStatus.DRAFT) {
                        throw ApiException.notFound("series", idOrSlug);
                    }
                    return s;
                });
    }
}

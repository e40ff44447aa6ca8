package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.EpisodeView;
import com.microdrama.catalogue.dto.SeriesDetail;
import com.microdrama.catalogue.dto.SeriesPage;
import com.microdrama.catalogue.dto.SeriesSummary;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageCursor;
import com.microdrama.core.i18n.LanguagePreference;
import com.microdrama.paywall.EntitlementService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What viewers can browse: published and completed series and their ready, published episodes. */
@ApplicationScoped
public class CatalogueService {

    private final SeriesRepository series;
    private final EpisodeRepository episodes;
    private final EntitlementService entitlements;
    private final Translations translations;
    private final MediaTrackRepository tracks;

    CatalogueService(SeriesRepository series, EpisodeRepository episodes, EntitlementService entitlements,
                     Translations translations, MediaTrackRepository tracks) {
        this.series = series;
        this.episodes = episodes;
        this.entitlements = entitlements;
        this.translations = translations;
        this.tracks = tracks;
    }

    @WithSession
    public Uni<SeriesPage> list(SeriesFilter filter, PageCursor after, int limit, LanguagePreference wanted) {
        Log.debugf("Listing series %s after %s", filter, after);
        return series.visiblePage(filter, after, limit + 1).flatMap(rows -> translations
                .ofSeries(rows.stream().map(s -> s.id).toList()).map(texts -> {
            List<Series> page = rows.subList(0, Math.min(limit, rows.size()));
            String next = null;
            if (rows.size() > limit) {
                Series last = page.get(page.size() - 1);
                next = (filter.sort() == SeriesFilter.Sort.POPULAR
                        ? PageCursor.after(last.popularity, last.id)
                        : PageCursor.after(last.publishedAt, last.id)).encode();
            }
            return new SeriesPage(page.stream().map(s -> SeriesSummary.of(s,
                    LocalisedText.of(s, texts.getOrDefault(s.id, List.of()), wanted))).toList(), next);
        }));
    }

    @WithSession
    public Uni<SeriesDetail> detail(String idOrSlug, LanguagePreference wanted) {
        return visibleSeries(idOrSlug).flatMap(s -> translations.ofSeries(List.of(s.id))
                .flatMap(texts -> episodes.countVisible(s.id)
                        .flatMap(count -> tracks.languagesOf(s.id, MediaTrack.AUDIO)
                                .flatMap(dubs -> tracks.languagesOf(s.id, MediaTrack.SUBTITLES)
                                        .flatMap(subtitles -> episodes.nextRelease(s.id)
                                                .map(next -> SeriesDetail.of(s,
                                                        LocalisedText.of(s, texts.getOrDefault(s.id, List.of()), wanted),
                                                        count, audioLanguages(s, dubs), subtitles, next == null ? null
                                                                : new SeriesDetail.NextEpisode(next.number, next.releaseAt))))))));
    }

    /** The original audio (the series' language) first, then the dubs. */
    private static List<String> audioLanguages(Series s, List<String> dubs) {
        List<String> all = new ArrayList<>(List.of(s.language));
        dubs.stream().filter(d -> !d.equals(s.language)).forEach(all::add);
        return all;
    }

    /**
     * The series' playable episodes in order, each with its lock state for this viewer (anonymous: free/locked).
     * The entitlement lookup runs after the Hibernate session is closed: holding a pooled connection while asking
     * the same pool for another (the PostgreSQL fallback when Redis is away) deadlocks the pool under load.
     */
    public Uni<LocalisedEpisodes> episodes(String idOrSlug, Optional<String> viewerId, LanguagePreference wanted) {
        return Panache.withSession(() -> visibleSeries(idOrSlug)
                        .flatMap(s -> episodes.visibleOf(s.id).flatMap(list -> translations.ofSeries(List.of(s.id))
                                .flatMap(seriesTexts -> translations.ofEpisodes(list.stream().map(e -> e.id).toList())
                                        .map(titles -> new SeriesEpisodes(s, list,
                                                LocalisedText.of(s, seriesTexts.getOrDefault(s.id, List.of()), wanted)
                                                        .language(), titles))))))
                .flatMap(found -> viewerId
                        .map(viewer -> entitlements.unlockedNumbers(viewer, found.series().id,
                                found.episodes().stream().mapToInt(e -> e.number).max().orElse(0)))
                        .orElse(Uni.createFrom().item(Set.<Integer>of()))
                        .map(unlocked -> new LocalisedEpisodes(found.language(), found.episodes().stream()
                                .map(e -> view(found, e, unlocked)).toList())));
    }

    /** A series' episodes for a viewer, titles in {@code language} where translated (the series' negotiated one). */
    public record LocalisedEpisodes(String language, List<EpisodeView> episodes) {
    }

    private record SeriesEpisodes(Series series, List<Episode> episodes, String language,
                                  Map<UUID, List<EpisodeTranslation>> titles) {
    }

    /** {@code unlocked} null means a VIP pass: every episode is open. */
    private static EpisodeView view(SeriesEpisodes found, Episode e, Set<Integer> unlocked) {
        Series s = found.series();
        EpisodeView.Lock lock = s.isFree(e) ? EpisodeView.Lock.FREE
                : unlocked == null || unlocked.contains(e.number) ? EpisodeView.Lock.UNLOCKED
                : EpisodeView.Lock.LOCKED;
        EpisodeTranslation title = found.titles().getOrDefault(e.id, List.of()).stream()
                .filter(t -> t.language.equals(found.language())).findFirst().orElse(null);
        return new EpisodeView(e.id, e.number, title == null ? e.title : title.title,
                title == null ? s.language : title.language, e.durationMs == null ? null : e.durationMs / 1000.0,
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

package com.microdrama.catalogue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private final ObjectMapper mapper;
    private final CatalogueChanges.Fresh<ListKey, RenderedEpisodes> episodeLists;

    CatalogueService(SeriesRepository series, EpisodeRepository episodes, EntitlementService entitlements,
                     Translations translations, MediaTrackRepository tracks, ObjectMapper mapper,
                     CatalogueChanges changes) {
        this.mapper = mapper;
        this.episodeLists = changes.cache(20_000);
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
     * The series' playable episodes in order, each with its lock state for this viewer (anonymous: free/locked), as
     * the JSON array the API answers. The series' part, the same for every viewer, is kept in memory
     * ({@link CatalogueChanges}) with each episode already written both locked and unlocked; per request only the
     * viewer's unlocks are read and the pieces put together, byte for byte what serialising the list would give.
     * The entitlement lookup runs after the Hibernate session is closed: holding a pooled connection while asking
     * the same pool for another (the PostgreSQL fallback when Redis is away) deadlocks the pool under load.
     */
    public Uni<EpisodeListJson> episodes(String idOrSlug, Optional<String> viewerId, LanguagePreference wanted) {
        return episodeLists.get(new ListKey(idOrSlug, wanted), () -> renderedEpisodes(idOrSlug, wanted))
                .flatMap(list -> viewerId
                        .map(viewer -> entitlements.unlockedNumbers(viewer, list.seriesId(), list.maxNumber()))
                        .orElse(Uni.createFrom().item(Set.<Integer>of()))
                        .map(unlocked -> new EpisodeListJson(list.language(), list.json(unlocked))));
    }

    /** A series' episodes for a viewer as a JSON array, titles in {@code language} where translated. */
    public record EpisodeListJson(String language, byte[] json) {
    }

    private record ListKey(String idOrSlug, LanguagePreference wanted) {
    }

    /** An episode as every viewer sees it but for its lock: {@code free} ones have one form, others two. */
    private record RenderedEpisode(int number, boolean free, byte[] locked, byte[] unlocked) {
    }

    private record RenderedEpisodes(UUID seriesId, int maxNumber, String language, List<RenderedEpisode> episodes) {

        /** {@code unlocked} null means a VIP pass: every episode is open. */
        byte[] json(Set<Integer> unlocked) {
            int size = 2 + Math.max(0, episodes.size() - 1);
            byte[][] parts = new byte[episodes.size()][];
            for (int i = 0; i < parts.length; i++) {
                RenderedEpisode e = episodes.get(i);
                parts[i] = e.free() || unlocked == null || unlocked.contains(e.number()) ? e.unlocked() : e.locked();
                size += parts[i].length;
            }
            byte[] json = new byte[size];
            int at = 0;
            json[at++] = '[';
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    json[at++] = ',';
                }
                System.arraycopy(parts[i], 0, json, at, parts[i].length);
                at += parts[i].length;
            }
            json[at] = ']';
            return json;
        }
    }

    private Uni<RenderedEpisodes> renderedEpisodes(String idOrSlug, LanguagePreference wanted) {
        return Panache.withSession(() -> visibleSeries(idOrSlug)
                .flatMap(s -> episodes.visibleOf(s.id).flatMap(list -> translations.ofSeries(List.of(s.id))
                        .flatMap(seriesTexts -> translations.ofEpisodes(list.stream().map(e -> e.id).toList())
                                .map(titles -> render(new SeriesEpisodes(s, list,
                                        LocalisedText.of(s, seriesTexts.getOrDefault(s.id, List.of()), wanted)
                                                .language(), titles)))))));
    }

    private RenderedEpisodes render(SeriesEpisodes found) {
        List<RenderedEpisode> rendered = new ArrayList<>(found.episodes().size());
        for (Episode e : found.episodes()) {
            boolean free = found.series().isFree(e);
            byte[] open = json(view(found, e, free ? EpisodeView.Lock.FREE : EpisodeView.Lock.UNLOCKED));
            rendered.add(new RenderedEpisode(e.number, free, free ? open : json(view(found, e, EpisodeView.Lock.LOCKED)), open));
        }
        return new RenderedEpisodes(found.series().id, found.episodes().stream().mapToInt(e -> e.number).max().orElse(0),
                found.language(), List.copyOf(rendered));
    }

    private byte[] json(EpisodeView view) {
        try {
            return mapper.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("episode view is not serialisable", e);
        }
    }

    private record SeriesEpisodes(Series series, List<Episode> episodes, String language,
                                  Map<UUID, List<EpisodeTranslation>> titles) {
    }

    private static EpisodeView view(SeriesEpisodes found, Episode e, EpisodeView.Lock lock) {
        Series s = found.series();
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

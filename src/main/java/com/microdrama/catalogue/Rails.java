package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.Rail;
import com.microdrama.catalogue.dto.SeriesPage;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.http.PageCursor;
import com.microdrama.core.i18n.LanguagePreference;
import com.microdrama.playback.ViewerActivityService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The home screen's rows: trending, new, trending per genre (the genres of what trends now) and, signed in, "more
 * like what you watched" (trending in the genres of the series being watched, those series left out).
 */
@ApplicationScoped
public class Rails {

    public static final String TRENDING = "trending";
    public static final String NEW = "new";
    public static final String GENRE = "genre:";
    public static final String MORE_LIKE_WATCHED = "more-like-watched";
    private static final int GENRE_RAILS = 4;

    private final TrendingSeries trending;
    private final CatalogueService catalogue;
    private final SeriesCards cards;
    private final ViewerActivityService activity;

    Rails(TrendingSeries trending, CatalogueService catalogue, SeriesCards cards, ViewerActivityService activity) {
        this.trending = trending;
        this.catalogue = catalogue;
        this.cards = cards;
        this.activity = activity;
    }

    /** The first page of every row that has something to show. */
    public Uni<List<Rail>> all(List<String> languages, Optional<String> viewerId, int limit) {
        return one(TRENDING, languages, viewerId, null, limit).flatMap(top -> one(NEW, languages, viewerId, null, limit)
                .flatMap(latest -> genreRails(top, languages, viewerId, limit).flatMap(genres -> {
                    List<Rail> rails = new ArrayList<>(List.of(top, latest));
                    rails.addAll(genres);
                    if (viewerId.isEmpty()) {
                        return Uni.createFrom().item(rails);
                    }
                    return one(MORE_LIKE_WATCHED, languages, viewerId, null, limit).map(more -> {
                        rails.add(more);
                        return rails;
                    });
                })))
                .map(rails -> rails.stream().filter(r -> !r.items().isEmpty()).toList());
    }

    /** One page of one row. */
    public Uni<Rail> one(String railId, List<String> languages, Optional<String> viewerId, PageCursor after, int limit) {
        if (railId.equals(TRENDING)) {
            return trending.page(new TrendingSeries.Scope(languages, List.of(), List.of()), after, limit)
                    .map(page -> Rail.of(railId, "Trending now", page));
        }
        if (railId.equals(NEW)) {
            SeriesFilter filter = SeriesFilter.newIn(languages);
            return catalogue.list(filter, after, limit, languages.isEmpty() ? LanguagePreference.none()
                    : new LanguagePreference(null, String.join(",", languages))).map(page -> Rail.of(railId, "New releases", page));
        }
        if (railId.startsWith(GENRE) && railId.length() > GENRE.length()) {
            String genre = railId.substring(GENRE.length());
            return trending.page(new TrendingSeries.Scope(languages, List.of(genre), List.of()), after, limit)
                    .map(page -> Rail.of(railId, "Trending in " + genre, page));
        }
        if (railId.equals(MORE_LIKE_WATCHED)) {
            return moreLikeWatched(languages, viewerId, after, limit)
                    .map(page -> Rail.of(railId, "More like what you watched", page));
        }
        throw ApiException.notFound("rail", railId);
    }

    private Uni<List<Rail>> genreRails(Rail top, List<String> languages, Optional<String> viewerId, int limit) {
        Set<String> genres = new LinkedHashSet<>();
        top.items().forEach(s -> genres.addAll(s.genres()));
        // One after another: the rows share the request's Hibernate session, which allows one query at a time.
        return Multi.createFrom().iterable(genres.stream().limit(GENRE_RAILS).toList())
                .onItem().transformToUniAndConcatenate(g -> one(GENRE + g, languages, viewerId, null, limit))
                .collect().asList();
    }

    private Uni<SeriesPage> moreLikeWatched(List<String> languages, Optional<String> viewerId, PageCursor after,
                                           int limit) {
        if (viewerId.isEmpty()) {
            return Uni.createFrom().item(new SeriesPage(List.of(), null));
        }
        return activity.continueWatching(viewerId.get())
                .flatMap(watching -> cards.entities(watching.stream().map(ViewerActivityService.ContinueWatching::seriesId)
                        .distinct().toList()))
                .flatMap(watched -> {
                    Set<String> genres = new LinkedHashSet<>();
                    watched.forEach(s -> genres.addAll(s.genres));
                    if (genres.isEmpty()) {
                        return Uni.createFrom().item(new SeriesPage(List.of(), null));
                    }
                    List<UUID> excluded = watched.stream().map(s -> s.id).toList();
                    return trending.page(new TrendingSeries.Scope(languages, List.copyOf(genres), excluded), after, limit);
                });
    }
}

package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.TranslationRequest;
import com.microdrama.catalogue.dto.TranslationView;
import com.microdrama.core.error.ApiException;
import com.microdrama.core.i18n.Languages;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Producers add, replace and remove the translations of their own series (title, synopsis) and episodes (title).
 * The series' default language has no translation: its text is the series' own.
 */
@ApplicationScoped
public class ProducerTranslations {

    private final ProducerCatalogueService catalogue;
    private final Translations translations;

    ProducerTranslations(ProducerCatalogueService catalogue, Translations translations) {
        this.catalogue = catalogue;
        this.translations = translations;
    }

    @WithSession
    public Uni<List<TranslationView>> ofSeries(String producerId, UUID seriesId) {
        return catalogue.owned(producerId, seriesId)
                .flatMap(s -> translations.ofSeries(List.of(s.id)))
                .map(found -> found.getOrDefault(seriesId, List.of()).stream().map(ProducerTranslations::view).toList());
    }

    @WithTransaction
    public Uni<TranslationView> putSeries(String producerId, UUID seriesId, String language, TranslationRequest request) {
        return catalogue.owned(producerId, seriesId).flatMap(s -> {
            String tag = translatable(s, language);
            return translations.ofSeries(s.id, tag).flatMap(existing -> {
                SeriesTranslation t = existing != null ? existing : new SeriesTranslation();
                if (existing == null) {
                    t.id = UUID.randomUUID();
                    t.seriesId = s.id;
                    t.language = tag;
                }
                t.title = request.title().strip();
                t.synopsis = request.synopsis() == null ? "" : request.synopsis();
                t.updatedAt = Instant.now();
                return (existing == null ? Panache.getSession().flatMap(session -> session.persist(t)) : Uni.createFrom().voidItem())
                        .map(x -> view(t));
            });
        });
    }

    @WithTransaction
    public Uni<Void> deleteSeries(String producerId, UUID seriesId, String language) {
        return catalogue.owned(producerId, seriesId)
                .flatMap(s -> translations.ofSeries(s.id, Languages.normalise("language", language)))
                .flatMap(t -> removed(t, language));
    }

    @WithSession
    public Uni<List<TranslationView>> ofEpisode(String producerId, UUID seriesId, int number) {
        return catalogue.ownedEpisode(producerId, seriesId, number)
                .flatMap(e -> translations.ofEpisodes(List.of(e.id))
                        .map(found -> found.getOrDefault(e.id, List.of()).stream().map(ProducerTranslations::view).toList()));
    }

    @WithTransaction
    public Uni<TranslationView> putEpisode(String producerId, UUID seriesId, int number, String language,
                                           TranslationRequest request) {
        if (request.synopsis() != null) {
            throw ApiException.badRequest("synopsis", "episodes have a title only");
        }
        return catalogue.owned(producerId, seriesId).flatMap(s -> {
            String tag = translatable(s, language);
            return catalogue.ownedEpisode(producerId, seriesId, number)
                    .flatMap(e -> translations.ofEpisode(e.id, tag).flatMap(existing -> {
                        EpisodeTranslation t = existing != null ? existing : new EpisodeTranslation();
                        if (existing == null) {
                            t.id = UUID.randomUUID();
                            t.episodeId = e.id;
                            t.language = tag;
                        }
                        t.title = request.title().strip();
                        t.updatedAt = Instant.now();
                        return (existing == null ? Panache.getSession().flatMap(session -> session.persist(t))
                                : Uni.createFrom().voidItem()).map(x -> view(t));
                    }));
        });
    }

    @WithTransaction
    public Uni<Void> deleteEpisode(String producerId, UUID seriesId, int number, String language) {
        return catalogue.ownedEpisode(producerId, seriesId, number)
                .flatMap(e -> translations.ofEpisode(e.id, Languages.normalise("language", language)))
                .flatMap(t -> removed(t, language));
    }

    private static Uni<Void> removed(Object translation, String language) {
        if (translation == null) {
            throw ApiException.notFound("translation", language);
        }
        return Panache.getSession().flatMap(session -> session.remove(translation));
    }

    /** The tag in canonical form; the series' default language is refused (its text is the series' own). */
    private static String translatable(Series s, String language) {
        String tag = Languages.normalise("language", language);
        if (tag.equalsIgnoreCase(s.language)) {
            throw ApiException.badRequest("language", "is the series' default language (" + s.language
                    + "); change the series' own title and synopsis instead");
        }
        return tag;
    }

    private static TranslationView view(SeriesTranslation t) {
        return new TranslationView(t.language, t.title, t.synopsis, t.updatedAt);
    }

    private static TranslationView view(EpisodeTranslation t) {
        return new TranslationView(t.language, t.title, null, t.updatedAt);
    }
}

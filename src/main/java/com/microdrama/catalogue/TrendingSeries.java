package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.SeriesPage;
import com.microdrama.core.http.PageCursor;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Series by trending score (migration V12), overall or within languages and genres. An index walk over the stored
 * score: no play is read per request. Keyset-paged on (score, id); the score travels in the cursor as its bits.
 */
@ApplicationScoped
public class TrendingSeries {

    /** Which series a trending list holds; empty lists do not narrow it. Languages match on their primary subtag. */
    public record Scope(List<String> languages, List<String> genres, List<UUID> excluded) {

        public static Scope everything() {
            return new Scope(List.of(), List.of(), List.of());
        }
    }

    /** One page of ids, best first, and where the next page starts (null after the last). */
    public record Ids(List<UUID> ids, PageCursor next, List<Scored> scored) {

        Ids(List<UUID> ids, PageCursor next) {
            this(ids, next, List.of());
        }
    }

    /** An id with its stored score, which cursors carry. */
    public record Scored(UUID id, double score) {
    }

    /** How many of each language scope's best are kept in memory (trending-top cache, a few seconds). */
    static final int TOP_SIZE = 300;

    private final Pool pool;
    private final SeriesCards cards;
    private final Cache top;

    TrendingSeries(Pool pool, SeriesCards cards, @CacheName("trending-top") Cache top) {
        this.pool = pool;
        this.cards = cards;
        this.top = top;
    }

    public Uni<SeriesPage> page(Scope scope, PageCursor after, int limit) {
        return ids(scope, after, limit).flatMap(page -> cards.inOrder(page.ids())
                .map(items -> new SeriesPage(items, page.next() == null ? null : page.next().encode())));
    }

    /**
     * Reads a page from the shared top of its languages when it lies within it (the feed's common case: every
     * viewer's first pages), else from the index.
     */
    public Uni<Ids> ids(Scope scope, PageCursor after, int limit) {
        if (!scope.genres().isEmpty()) {
            return query(scope, after, limit);
        }
        List<String> languages = scope.languages().stream().map(TrendingSeries::primary).sorted().distinct().toList();
        return top.getAsync(languages, key -> query(new Scope(key, List.of(), List.of()), null, TOP_SIZE))
                .flatMap(best -> walk(best, new HashSet<>(scope.excluded()), after, limit)
                        .map(ids -> Uni.createFrom().item(ids))
                        .orElseGet(() -> query(scope, after, limit)));
    }

    /** A page out of the cached top, or empty when the page reaches past it. */
    private static Optional<Ids> walk(Ids best, Set<UUID> excluded, PageCursor after, int limit) {
        double afterScore = after == null ? Double.POSITIVE_INFINITY : Double.longBitsToDouble(after.longKey());
        List<Scored> page = new ArrayList<>(limit + 1);
        for (Scored s : best.scored()) {
            boolean pastCursor = after == null || s.score() < afterScore
                    || (s.score() == afterScore && s.id().compareTo(after.id()) < 0);
            if (pastCursor && !excluded.contains(s.id())) {
                page.add(s);
                if (page.size() > limit) {
                    Scored last = page.get(limit - 1);
                    return Optional.of(new Ids(page.subList(0, limit).stream().map(Scored::id).toList(),
                            PageCursor.after(Double.doubleToLongBits(last.score()), last.id())));
                }
            }
        }
        return best.next() == null
                ? Optional.of(new Ids(page.stream().map(Scored::id).toList(), null))
                : Optional.empty();
    }

    private Uni<Ids> query(Scope scope, PageCursor after, int limit) {
        Tuple params = Tuple.from(Arrays.asList(
                scope.languages().stream().map(TrendingSeries::primary).toArray(String[]::new),
                scope.genres().toArray(String[]::new), scope.excluded().toArray(UUID[]::new),
                after == null ? null : Double.longBitsToDouble(after.longKey()), after == null ? null : after.id(),
                limit + 1));
        return pool.preparedQuery("""
                        select id, trend_log from series
                        where status <> 'draft'
                          and (cardinality($1::text[]) = 0 or split_part(language, '-', 1) = any($1))
                          and (cardinality($2::text[]) = 0 or genres && $2::varchar[])
                          and not (id = any($3::uuid[]))
                          and ($4::float8 is null or (trend_log, id) < ($4, $5))
                        order by trend_log desc, id desc
                        limit $6
                        """).execute(params)
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    List<Double> scores = new ArrayList<>();
                    for (Row r : rows) {
                        ids.add(r.getUUID("id"));
                        scores.add(r.getDouble("trend_log"));
                    }
                    int size = Math.min(limit, ids.size());
                    List<Scored> scored = new ArrayList<>(size);
                    for (int i = 0; i < size; i++) {
                        scored.add(new Scored(ids.get(i), scores.get(i)));
                    }
                    PageCursor next = ids.size() <= limit ? null
                            : PageCursor.after(Double.doubleToLongBits(scores.get(limit - 1)), ids.get(limit - 1));
                    return new Ids(ids.subList(0, size), next, scored);
                });
    }

    private static String primary(String languageTag) {
        int dash = languageTag.indexOf('-');
        return (dash < 0 ? languageTag : languageTag.substring(0, dash)).toLowerCase(java.util.Locale.ROOT);
    }
}

package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.SeriesPage;
import com.microdrama.core.http.PageCursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    public record Ids(List<UUID> ids, PageCursor next) {
    }

    private final Pool pool;
    private final SeriesCards cards;

    TrendingSeries(Pool pool, SeriesCards cards) {
        this.pool = pool;
        this.cards = cards;
    }

    public Uni<SeriesPage> page(Scope scope, PageCursor after, int limit) {
        return ids(scope, after, limit).flatMap(page -> cards.inOrder(page.ids())
                .map(items -> new SeriesPage(items, page.next() == null ? null : page.next().encode())));
    }

    public Uni<Ids> ids(Scope scope, PageCursor after, int limit) {
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
                    if (ids.size() <= limit) {
                        return new Ids(ids, null);
                    }
                    return new Ids(ids.subList(0, limit), PageCursor.after(
                            Double.doubleToLongBits(scores.get(limit - 1)), ids.get(limit - 1)));
                });
    }

    private static String primary(String languageTag) {
        int dash = languageTag.indexOf('-');
        return (dash < 0 ? languageTag : languageTag.substring(0, dash)).toLowerCase(java.util.Locale.ROOT);
    }
}

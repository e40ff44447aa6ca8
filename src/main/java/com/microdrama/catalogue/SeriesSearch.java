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
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Series by title, tags and synopsis, best match first (migration V11). A series matches when any of three indexed
 * tests holds: every word of the query starts a word of the full-text document (partial words: "retu" finds
 * "Returns"); the query is close to a run of the trigram text (typos: "ceo retrns"); or the text contains the
 * query (CJK, whose runs the 'simple' parser does not split into words: "总裁" inside "霸道总裁爱上我"). The same
 * tests run over every translation (migration V20); a series scores its best over its own text and its translations.
 */
@ApplicationScoped
public class SeriesSearch {

    /** Anything but letters and digits separates words, whatever the script. */
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /*
     * Score: full-text rank (title counts most, then tags, then synopsis), how closely the title holds the query,
     * and a bonus when the title contains it outright. Kept as an integer (millionths) so that it can be a keyset
     * cursor's sort key.
     */
    private static final String SEARCH = """
            with matches as (
                select s.id, round(1000000 * (ts_rank(s.search_document, q.words)
                        + word_similarity($1, lower(s.title))
                        + case when lower(s.title) like $3 escape '\\' then 0.5 else 0 end))::bigint as score
                from series s, (select to_tsquery('simple', $2) as words) q
                where s.status <> 'draft'
                  and (s.search_document @@ q.words
                       or $1 <% series_search_text(s.title, s.tags, s.synopsis)
                       or series_search_text(s.title, s.tags, s.synopsis) like $3 escape '\\')
                union all
                select t.series_id, round(1000000 * (ts_rank(t.search_document, q.words)
                        + word_similarity($1, lower(t.title))
                        + case when lower(t.title) like $3 escape '\\' then 0.5 else 0 end))::bigint
                from series_translation t join series s on s.id = t.series_id,
                     (select to_tsquery('simple', $2) as words) q
                where s.status <> 'draft'
                  and (t.search_document @@ q.words
                       or $1 <% series_translation_search_text(t.title, t.synopsis)
                       or series_translation_search_text(t.title, t.synopsis) like $3 escape '\\')
            ),
            ranked as (select id, max(score) as score from matches group by id)
            select id, score from ranked
            where $4::bigint is null or (score, id) < ($4, $5)
            order by score desc, id desc
            limit $6
            """;

    private final Pool pool;
    private final SeriesCards cards;

    SeriesSearch(Pool pool, SeriesCards cards) {
        this.pool = pool;
        this.cards = cards;
    }

    public Uni<SeriesPage> search(String query, PageCursor after, int limit) {
        String text = query.strip().toLowerCase(Locale.ROOT);
        Tuple params = Tuple.from(Arrays.asList(text, prefixQuery(text), "%" + escapeLike(text) + "%",
                after == null ? null : after.longKey(), after == null ? null : after.id(), limit + 1));
        return pool.preparedQuery(SEARCH).execute(params).flatMap(rows -> {
            List<UUID> ids = new ArrayList<>();
            List<Long> scores = new ArrayList<>();
            for (Row r : rows) {
                ids.add(r.getUUID("id"));
                scores.add(r.getLong("score"));
            }
            List<UUID> page = ids.subList(0, Math.min(limit, ids.size()));
            String next = ids.size() > limit
                    ? PageCursor.after(scores.get(limit - 1), page.get(limit - 1)).encode()
                    : null;
            return cards.inOrder(page).map(found -> new SeriesPage(found, next));
        });
    }

    /** "ceo retu" becomes 'ceo':* & 'retu':* — each word, or the start of one. Words hold no tsquery syntax. */
    static String prefixQuery(String text) {
        String[] words = NON_WORD.split(text);
        StringBuilder query = new StringBuilder();
        for (String word : words) {
            if (!word.isEmpty()) {
                query.append(query.isEmpty() ? "" : " & ").append('\'').append(word).append("':*");
            }
        }
        // A query of separators only: an empty tsquery matches nothing, so only the substring test can match.
        return query.toString();
    }

    private static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}

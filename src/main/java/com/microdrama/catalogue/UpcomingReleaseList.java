package com.microdrama.catalogue;

import com.microdrama.catalogue.dto.UpcomingRelease;
import com.microdrama.catalogue.dto.UpcomingReleases;
import com.microdrama.core.http.PageCursor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every episode whose release time is still ahead, across series (operators) or a producer's own series, soonest
 * first, keyset-paged on (release time, episode id). Changes go through {@link ReleaseSchedules}.
 */
@ApplicationScoped
public class UpcomingReleaseList {

    private final Pool pool;

    UpcomingReleaseList(Pool pool) {
        this.pool = pool;
    }

    public Uni<UpcomingReleases> page(Optional<String> producerId, PageCursor after, int limit) {
        Tuple params = Tuple.from(Arrays.asList(producerId.orElse(null),
                after == null ? null : OffsetDateTime.ofInstant(after.instantKey(), ZoneOffset.UTC),
                after == null ? null : after.id(), limit + 1));
        return pool.preparedQuery("""
                        select s.id as series_id, s.slug, s.title as series_title, s.producer_id, e.id, e.number,
                               e.title, e.release_at, e.published, e.current_version_id is not null as ready
                        from episode e join series s on s.id = e.series_id
                        where e.release_at > now()
                          and ($1::text is null or s.producer_id = $1)
                          and ($2::timestamptz is null or (e.release_at, e.id) > ($2, $3))
                        order by e.release_at, e.id
                        limit $4
                        """).execute(params)
                .map(rows -> {
                    List<UpcomingRelease> items = new ArrayList<>();
                    for (Row r : rows) {
                        items.add(new UpcomingRelease(r.getUUID("series_id"), r.getString("slug"),
                                r.getString("series_title"), r.getString("producer_id"), r.getUUID("id"),
                                r.getInteger("number"), r.getString("title"),
                                r.getOffsetDateTime("release_at").toInstant(), r.getBoolean("published"),
                                r.getBoolean("ready")));
                    }
                    if (items.size() <= limit) {
                        return new UpcomingReleases(items, null);
                    }
                    UpcomingRelease last = items.get(limit - 1);
                    return new UpcomingReleases(items.subList(0, limit),
                            PageCursor.after(last.releaseAt(), last.episodeId()).encode());
                });
    }
}

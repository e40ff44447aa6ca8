package com.microdrama.catalogue;

import com.microdrama.core.persistence.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Where episodes sit, whatever their state: the catalogue's answer to features above it that record what happened
 * to an episode (analytics). One round-trip per call.
 */
@ApplicationScoped
public class EpisodeDirectory {

    /** An episode's place in its series and its current length (null before a version is ready). */
    public record Placement(UUID id, UUID seriesId, int number, Integer durationMs) {
    }

    private final Pool pool;

    EpisodeDirectory(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Placement>> byIds(Collection<UUID> ids) {
        return pool.preparedQuery("select id, series_id, number, duration_ms from episode where id = any($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> Rows.stream(rows).map(EpisodeDirectory::placement).toList());
    }

    public Uni<List<Placement>> byNumbers(UUID seriesId, Collection<Integer> numbers) {
        return pool.preparedQuery("""
                        select id, series_id, number, duration_ms from episode where series_id = $1 and number = any($2)
                        """)
                .execute(Tuple.of(seriesId, numbers.toArray(Integer[]::new)))
                .map(rows -> Rows.stream(rows).map(EpisodeDirectory::placement).toList());
    }

    private static Placement placement(Row r) {
        return new Placement(r.getUUID("id"), r.getUUID("series_id"), r.getInteger("number"), r.getInteger("duration_ms"));
    }
}

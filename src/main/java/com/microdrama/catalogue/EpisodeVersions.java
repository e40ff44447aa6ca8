package com.microdrama.catalogue;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.microdrama.core.persistence.Rows;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Read side of episode versions for the features above the catalogue (upload's answers, operators' job views). */
@ApplicationScoped
public class EpisodeVersions {

    /** Which episode of which series a version belongs to. */
    public record Label(UUID versionId, int versionNumber, UUID episodeId, int episodeNumber, UUID seriesId,
                        String seriesTitle) {
    }

    /** The uploaded source behind a version, and what ffprobe found in it. */
    public record Source(String key, long size, @Schema(nullable = true) Map<String, Object> probe) {
    }

    public record Rendition(String name, int width, int height, int bandwidth) {
    }

    private final Pool pool;

    EpisodeVersions(Pool pool) {
        this.pool = pool;
    }

    public Uni<VersionView> version(UUID versionId) {
        return pool.preparedQuery("""
                        select id, episode_id, version_number, state, source_size, source_sha256, probe::text
                        from episode_version where id = $1
                        """).execute(Tuple.of(versionId))
                .map(rows -> VersionView.of(rows.iterator().next()));
    }

    public Uni<Map<UUID, Label>> labels(Collection<UUID> versionIds) {
        if (versionIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("""
                        select v.id, v.version_number, e.id as episode_id, e.number, s.id as series_id, s.title
                        from episode_version v join episode e on e.id = v.episode_id join series s on s.id = e.series_id
                        where v.id = any($1)
                        """).execute(Tuple.of(versionIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Label> labels = new HashMap<>();
                    for (Row r : rows) {
                        labels.put(r.getUUID("id"), new Label(r.getUUID("id"), r.getInteger("version_number"),
                                r.getUUID("episode_id"), r.getInteger("number"), r.getUUID("series_id"),
                                r.getString("title")));
                    }
                    return labels;
                });
    }

    /** The versions of a series, or of one episode of it (either may be null: no restriction). */
    public Uni<List<UUID>> versionsOf(UUID seriesId, UUID episodeId) {
        return pool.preparedQuery("""
                        select v.id from episode_version v join episode e on e.id = v.episode_id
                        where ($1::uuid is null or e.series_id = $1) and ($2::uuid is null or e.id = $2)
                        """).execute(Tuple.of(seriesId, episodeId))
                .map(rows -> Rows.stream(rows).map(r -> r.getUUID("id")).toList());
    }

    public Uni<Optional<Source>> source(UUID versionId) {
        return pool.preparedQuery("select source_key, source_size, probe from episode_version where id = $1")
                .execute(Tuple.of(versionId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    Map<String, Object> probe = r.getValue("probe") instanceof JsonObject json ? json.getMap() : null;
                    return Optional.of(new Source(r.getString("source_key"), r.getLong("source_size"), probe));
                });
    }

    /** The renditions of a version, largest first. */
    public Uni<List<Rendition>> renditions(UUID versionId) {
        return pool.preparedQuery("select name, width, height, bandwidth from rendition where version_id = $1 order by height desc")
                .execute(Tuple.of(versionId))
                .map(rows -> Rows.stream(rows).map(r -> new Rendition(r.getString("name"),
                        r.getInteger("width"), r.getInteger("height"), r.getInteger("bandwidth"))).toList());
    }
}

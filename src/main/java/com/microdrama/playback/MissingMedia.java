package com.microdrama.playback;

import com.microdrama.core.persistence.Rows;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Ready versions whose media was asked for and not found in storage, for operators (the job view, the dashboard):
 * kept in PostgreSQL so that every API process's sightings land in one list. A sighting is written on the error
 * path only (a missing master is not cached, so each play of it is one upsert); a master read again clears it.
 */
@ApplicationScoped
public class MissingMedia {

    /** A version seen without its media: since when, last when, how many times. */
    public record Sighting(UUID versionId, UUID episodeId, Instant firstSeenAt, Instant lastSeenAt, long hits) {
        static Sighting of(Row r) {
            return new Sighting(r.getUUID("version_id"), r.getUUID("episode_id"), Rows.instant(r, "first_seen_at"),
                    Rows.instant(r, "last_seen_at"), r.getLong("hits"));
        }
    }

    private static final String COLUMNS = "version_id, episode_id, first_seen_at, last_seen_at, hits";
    private static final int LIST_LIMIT = 200;

    private final Pool pool;

    MissingMedia(Pool pool) {
        this.pool = pool;
    }

    /** Records a sighting; a failure to record is logged, never passed on (the viewer's answer is the 503 already). */
    Uni<Void> seen(UUID episodeId, UUID versionId) {
        return pool.preparedQuery("""
                        insert into missing_media (version_id, episode_id) values ($1, $2)
                        on conflict (version_id) do update
                        set last_seen_at = now(), hits = missing_media.hits + 1
                        """).execute(Tuple.of(versionId, episodeId))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("Could not record missing media of version %s: %s", versionId, e.getMessage());
                    return null;
                });
    }

    /**
     * The version's media was read (restored, re-seeded, or never missing): no longer reported. Not waited for: a
     * master is read from storage once per version and process, and its answer must not wait on the database.
     */
    void found(UUID versionId) {
        pool.preparedQuery("delete from missing_media where version_id = $1").execute(Tuple.of(versionId))
                .subscribe().with(done -> { }, e -> Log.debugf("Could not clear missing media of %s: %s", versionId,
                        e.getMessage()));
    }

    /** The versions currently reported, most recently seen first. */
    public Uni<List<Sighting>> list() {
        return pool.preparedQuery("select " + COLUMNS + " from missing_media order by last_seen_at desc limit "
                        + LIST_LIMIT).execute()
                .map(rows -> Rows.stream(rows).map(Sighting::of).toList());
    }

    public Uni<Optional<Sighting>> of(UUID versionId) {
        return pool.preparedQuery("select " + COLUMNS + " from missing_media where version_id = $1")
                .execute(Tuple.of(versionId))
                .map(rows -> Rows.stream(rows).findFirst().map(Sighting::of));
    }
}

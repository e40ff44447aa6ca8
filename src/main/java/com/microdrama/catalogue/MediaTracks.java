package com.microdrama.catalogue;

import com.microdrama.core.error.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Writes of subtitle and dubbed audio tracks ({@code media_track}). A track goes live in one statement pair, one
 * transaction: the live one of its language is retired and the new one inserted, so a master rendered before the
 * commit names the old track's directory and one rendered after names the new one — never half of each.
 */
@ApplicationScoped
public class MediaTracks {

    private final Pool pool;

    MediaTracks(Pool pool) {
        this.pool = pool;
    }

    /** The producer's episode's current ready version, which a new track is made for. */
    public record Target(UUID seriesId, String seriesLanguage, UUID episodeId, UUID versionId, long durationMs,
                         String hlsPrefix, byte[] encryptionKey, String videoPlaylistKey) {
    }

    /** 404 for a missing series or episode, 403 for another producer's, 409 while nothing of it is ready. */
    public Uni<Target> target(String producerId, UUID seriesId, int number) {
        return pool.preparedQuery("""
                        select s.producer_id, s.language, e.id as episode_id, v.id as version_id, v.duration_ms,
                               v.hls_prefix, v.encryption_key,
                               (select r.playlist_key from rendition r where r.version_id = v.id
                                order by r.height limit 1) as playlist_key
                        from series s
                        left join episode e on e.series_id = s.id and e.number = $2
                        left join episode_version v on v.id = e.current_version_id and v.state = 'ready'
                        where s.id = $1
                        """).execute(Tuple.of(seriesId, number))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound("series", seriesId);
                    }
                    Row r = rows.iterator().next();
                    if (!producerId.equals(r.getString("producer_id"))) {
                        throw ApiException.forbidden("series '" + seriesId + "' belongs to another producer");
                    }
                    if (r.getUUID("episode_id") == null) {
                        throw ApiException.notFound("episode", number);
                    }
                    if (r.getUUID("version_id") == null || r.getString("playlist_key") == null) {
                        throw ApiException.conflict("episode " + number + " has no ready video yet: subtitle and "
                                + "audio tracks are cut to its video's segments, so they can be added once it is ready");
                    }
                    return new Target(seriesId, r.getString("language"), r.getUUID("episode_id"),
                            r.getUUID("version_id"), r.getInteger("duration_ms"), r.getString("hls_prefix"),
                            r.getBuffer("encryption_key").getBytes(), r.getString("playlist_key"));
                });
    }

    /** A track whose objects are all in storage. */
    public record NewTrack(UUID id, UUID versionId, String kind, String language, String name, String dir,
                           Integer bandwidth, Integer averageBandwidth) {
    }

    /** Makes the track live, retiring the one it replaces; answers the replaced track's directory, if any. */
    public Uni<List<String>> goLive(NewTrack t) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                        update media_track set state = 'replaced'
                        where version_id = $1 and kind = $2 and language = $3 and state = 'ready' returning dir
                        """).execute(Tuple.of(t.versionId(), t.kind(), t.language()))
                .flatMap(replaced -> tx.preparedQuery("""
                                insert into media_track (id, version_id, kind, language, name, dir, state, bandwidth,
                                    average_bandwidth, ready_at)
                                values ($1, $2, $3, $4, $5, $6, 'ready', $7, $8, now())
                                """).execute(Tuple.from(Arrays.asList(t.id(), t.versionId(), t.kind(), t.language(),
                                t.name(), t.dir(), t.bandwidth(), t.averageBandwidth())))
                        .map(x -> dirs(replaced))));
    }

    /** Takes a live track off the episode's current version; answers its directory (404 when there is none). */
    public Uni<String> remove(UUID versionId, String kind, String language) {
        return pool.preparedQuery("""
                        delete from media_track where version_id = $1 and kind = $2 and language = $3
                          and state = 'ready' returning dir
                        """).execute(Tuple.of(versionId, kind, language))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ApiException.notFound(kind + " track", language);
                    }
                    return rows.iterator().next().getString("dir");
                });
    }

    private static List<String> dirs(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<String> dirs = new ArrayList<>();
        rows.forEach(r -> dirs.add(r.getString("dir")));
        return dirs;
    }

    // ---- dubs: a track row exists from upload to the end of its audio-only job (transcode calls these in its tx)

    /** A dub waiting for its audio-only job; answers its id. Runs in the transaction that queues the job. */
    public Uni<Void> addDub(SqlClient tx, UUID id, UUID versionId, String language, String name, String sourceKey) {
        return tx.preparedQuery("""
                        insert into media_track (id, version_id, kind, language, name, dir, state, source_key)
                        values ($1, $2, 'audio', $3, $4, $5, 'processing', $6)
                        """).execute(Tuple.of(id, versionId, language, name, "a-" + id, sourceKey))
                .replaceWithVoid();
    }

    /** What a dub job encodes: its source, its directory, the episode duration it must match. */
    public record DubSource(String sourceKey, String dir, String language, long durationMs, String hlsPrefix) {
    }

    public Uni<DubSource> dubSource(UUID trackId) {
        return pool.preparedQuery("""
                        select t.source_key, t.dir, t.language, v.duration_ms, v.hls_prefix
                        from media_track t join episode_version v on v.id = t.version_id where t.id = $1
                        """).execute(Tuple.of(trackId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new DubSource(r.getString("source_key"), r.getString("dir"), r.getString("language"),
                            r.getInteger("duration_ms"), r.getString("hls_prefix"));
                });
    }

    /** The dub's renditions are stored: it replaces the live dub of its language, in the job's transaction. */
    public Uni<Void> dubReady(SqlClient tx, UUID trackId, int bandwidth, int averageBandwidth) {
        return tx.preparedQuery("""
                        update media_track o set state = 'replaced' from media_track n
                        where n.id = $1 and o.version_id = n.version_id and o.kind = n.kind and o.language = n.language
                          and o.state = 'ready' and o.id <> n.id
                        """).execute(Tuple.of(trackId))
                .flatMap(x -> tx.preparedQuery("""
                        update media_track set state = 'ready', bandwidth = $2, average_bandwidth = $3, ready_at = now(),
                            failure_reason = null
                        where id = $1
                        """).execute(Tuple.of(trackId, bandwidth, averageBandwidth)))
                .replaceWithVoid();
    }

    /** Dub jobs that failed or were cancelled: their tracks never go live (the live dub, if any, stays). */
    public Uni<Void> dubsEnded(SqlClient tx, List<UUID> trackIds, String reason) {
        if (trackIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("update media_track set state = 'failed', failure_reason = $2 where id = any($1) and state = 'processing'")
                .execute(Tuple.of(trackIds.toArray(UUID[]::new), reason)).replaceWithVoid();
    }

    /** An operator retried the dub's job. */
    public Uni<Void> dubRequeued(SqlClient tx, UUID trackId) {
        return tx.preparedQuery("update media_track set state = 'processing', failure_reason = null where id = $1 and state = 'failed'")
                .execute(Tuple.of(trackId)).replaceWithVoid();
    }
}

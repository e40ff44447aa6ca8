package com.microdrama.catalogue;

import com.microdrama.catalogue.EpisodeVersion.State;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one writer of an episode's media state, its versions' states and its current version. Every legal move is
 * listed once, in {@link #VERSION_MOVES} and {@link #EPISODE_MOVES}; each statement below only moves rows that
 * are in a state the table allows, and refuses (rolling back the caller's transaction) otherwise.
 *
 * <p>Every method runs in the caller's transaction ({@code tx}), so that what upload and transcode write in their
 * own tables (the upload, the job) commits or vanishes together with the episode's state.
 */
@ApplicationScoped
public class EpisodeLifecycle {

    /** Where a version may go from each state. A retried job re-enters TRANSCODING; READY is final. */
    public static final Map<State, Set<State>> VERSION_MOVES = Map.of(
            State.QUEUED, EnumSet.of(State.TRANSCODING, State.CANCELLED),
            State.TRANSCODING, EnumSet.of(State.TRANSCODING, State.READY, State.FAILED, State.CANCELLED),
            State.FAILED, EnumSet.of(State.QUEUED),
            State.CANCELLED, EnumSet.of(State.QUEUED),
            State.READY, EnumSet.noneOf(State.class));

    /**
     * Where an episode's media state may go. A new upload puts even a READY episode back in PROCESSING (it keeps
     * playing its current version meanwhile); a failed version leaves an episode FAILED only when it has nothing
     * playable, and READY when it has.
     */
    public static final Map<EpisodeState, Set<EpisodeState>> EPISODE_MOVES = Map.of(
            EpisodeState.AWAITING_SOURCE, EnumSet.of(EpisodeState.PROCESSING),
            EpisodeState.PROCESSING, EnumSet.of(EpisodeState.PROCESSING, EpisodeState.READY, EpisodeState.FAILED),
            EpisodeState.READY, EnumSet.of(EpisodeState.PROCESSING, EpisodeState.READY),
            EpisodeState.FAILED, EnumSet.of(EpisodeState.PROCESSING, EpisodeState.FAILED, EpisodeState.READY));

    /** The episode moves as 'from>to' words, for statements that compute the target state themselves. */
    private static final String[] EPISODE_PAIRS = EPISODE_MOVES.entrySet().stream()
            .flatMap(e -> e.getValue().stream().map(to -> e.getKey().wire() + ">" + to.wire()))
            .sorted().toArray(String[]::new);

    public static boolean allowed(State from, State to) {
        return VERSION_MOVES.get(from).contains(to);
    }

    public static boolean allowed(EpisodeState from, EpisodeState to) {
        return EPISODE_MOVES.get(from).contains(to);
    }

    /** The source as stored and probed. */
    public record NewSource(String key, long size, String sha256, String probeJson) {
    }

    /** A rendition the ladder produced, as the version records it. */
    public record NewRendition(String name, int width, int height, int bandwidth, int averageBandwidth, String codecs,
                               double frameRate, String playlistKey) {
    }

    /** Where a finished version's outputs are. */
    public record Outputs(String hlsPrefix, String posterKey, String thumbnailKey, int durationMs) {
    }

    /** What an encode needs of its version; the AES key is made once, so a retry encrypts with the same key. */
    public record EncodeSource(UUID episodeId, int versionNumber, String sourceKey, byte[] encryptionKey) {
    }

    private final Pool pool;

    EpisodeLifecycle(Pool pool) {
        this.pool = pool;
    }

    /**
     * Creates the episode if it does not exist yet (timed by the series' daily release rule, as
     * {@link Series#dailySlotOf} computes it), then its next version (QUEUED); the episode shows PROCESSING
     * and keeps its current version, so a re-upload never interrupts playback.
     */
    public Uni<VersionView> addVersion(SqlClient tx, UUID seriesId, int number, NewSource source) {
        UUID versionId = UUID.randomUUID();
        // Locking the series serialises concurrent uploads to it: no duplicate episode, no duplicate version number.
        return tx.preparedQuery("select id from series where id = $1 for update").execute(Tuple.of(seriesId))
                .flatMap(x -> tx.preparedQuery("""
                        insert into episode (id, series_id, number, release_at)
                        select $1, s.id, $3, case when $3 >= s.daily_release_from then
                            (s.daily_release_start + ($3 - s.daily_release_from) + s.daily_release_time)
                                at time zone s.daily_release_zone end
                        from series s where s.id = $2
                        on conflict (series_id, number) do nothing
                        """).execute(Tuple.of(UUID.randomUUID(), seriesId, number)))
                .flatMap(x -> moveEpisode(tx, "series_id = $1 and number = $2", Tuple.of(seriesId, number),
                        EpisodeState.PROCESSING, "episode " + number + " of series " + seriesId))
                .flatMap(episodeId -> tx.preparedQuery("""
                        insert into episode_version (id, episode_id, version_number, source_key, source_size,
                            source_sha256, probe)
                        select $1, $2, coalesce(max(version_number), 0) + 1, $3, $4, $5, $6::text::jsonb
                        from episode_version where episode_id = $2
                        returning id, episode_id, version_number, state, source_size, source_sha256, probe::text
                        """).execute(Tuple.from(Arrays.asList(versionId, episodeId, source.key(), source.size(),
                        source.sha256(), source.probeJson()))))
                .map(rows -> VersionView.of(rows.iterator().next()));
    }

    /**
     * A worker claimed the version's job: TRANSCODING, or false (nothing moved) when the version is in a state
     * that cannot be encoded, so that the claim can fail that job instead of taking it again at every poll.
     */
    public Uni<Boolean> startTranscoding(SqlClient tx, UUID versionId) {
        return tx.preparedQuery("update episode_version set state = $2 where id = $1 and state = any($3)")
                .execute(Tuple.of(versionId, wire(State.TRANSCODING), fromStates(State.TRANSCODING)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The version's source, with its AES key: created on first use, the same key for every retry. */
    public Uni<EncodeSource> encodeSource(UUID versionId, byte[] newKey) {
        return pool.preparedQuery("""
                        update episode_version set encryption_key = coalesce(encryption_key, $2) where id = $1
                        returning episode_id, version_number, source_key, encryption_key
                        """)
                .execute(Tuple.of(versionId, io.vertx.core.buffer.Buffer.buffer(newKey)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new EncodeSource(row.getUUID("episode_id"), row.getInteger("version_number"),
                            row.getString("source_key"), row.getBuffer("encryption_key").getBytes());
                });
    }

    /**
     * The version is READY with its renditions; its episode switches to it, unless a newer version is already
     * current (an older version finishing late never replaces a newer one).
     */
    public Uni<Void> ready(SqlClient tx, UUID versionId, Outputs out, List<NewRendition> renditions) {
        return tx.preparedQuery("delete from rendition where version_id = $1").execute(Tuple.of(versionId))
                .flatMap(x -> tx.preparedQuery("""
                        insert into rendition (id, version_id, name, width, height, bandwidth, average_bandwidth,
                            codecs, frame_rate, playlist_key)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                        """).executeBatch(renditions.stream().map(r -> Tuple.from(List.of(UUID.randomUUID(), versionId,
                        r.name(), r.width(), r.height(), r.bandwidth(), r.averageBandwidth(), r.codecs(),
                        BigDecimal.valueOf(r.frameRate()).setScale(3, RoundingMode.HALF_UP), r.playlistKey()))).toList()))
                // The outputs first: the schema refuses a READY version without them.
                .flatMap(x -> tx.preparedQuery("""
                        update episode_version set hls_prefix = $2, poster_key = $3, thumbnail_key = $4,
                            duration_ms = $5, ready_at = now()
                        where id = $1
                        """).execute(Tuple.of(versionId, out.hlsPrefix(), out.posterKey(), out.thumbnailKey(),
                        out.durationMs())))
                .flatMap(x -> moveVersions(tx, List.of(versionId), State.READY, null))
                .flatMap(x -> tx.preparedQuery("""
                        update episode e set current_version_id = v.id, duration_ms = v.duration_ms,
                            row_version = e.row_version + 1
                        from episode_version v
                        where v.id = $1 and e.id = v.episode_id and (e.current_version_id is null or v.version_number
                            >= (select version_number from episode_version where id = e.current_version_id))
                        """).execute(Tuple.of(versionId)))
                .flatMap(x -> settleEpisodes(tx, List.of(versionId)));
    }

    /** The versions failed or were cancelled; an episode with nothing playable shows FAILED, else READY. */
    public Uni<Void> ended(SqlClient tx, Collection<UUID> versionIds, State outcome, String reason) {
        if (outcome != State.FAILED && outcome != State.CANCELLED) {
            throw new IllegalArgumentException("a version ends FAILED or CANCELLED, not " + outcome);
        }
        if (versionIds.isEmpty()) {
            // The lease sweep asks on every poll, mostly with nothing: no statement, no change announced.
            return Uni.createFrom().voidItem();
        }
        return moveVersions(tx, versionIds, outcome, reason).flatMap(x -> settleEpisodes(tx, versionIds));
    }

    /** An operator retries the version's job: QUEUED again, its episode back in PROCESSING. */
    public Uni<Void> requeued(SqlClient tx, UUID versionId) {
        return moveVersions(tx, List.of(versionId), State.QUEUED, null)
                .flatMap(x -> moveEpisode(tx, "id = (select episode_id from episode_version where id = $1)",
                        Tuple.of(versionId), EpisodeState.PROCESSING, "the episode of version " + versionId))
                .replaceWithVoid();
    }

    /** Publishing is the producer's choice and independent of the media state: visible once a version is ready. */
    public void publish(Episode e, boolean published) {
        if (published && !e.published) {
            e.publishedAt = Instant.now();
        }
        if (!published) {
            e.publishedAt = null;
        }
        e.published = published;
        e.updatedAt = Instant.now();
    }

    private static Uni<Integer> moveVersions(SqlClient tx, Collection<UUID> versionIds, State target, String reason) {
        if (versionIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return tx.preparedQuery("""
                        update episode_version set state = $2, failure_reason = $3
                        where id = any($1) and state = any($4)
                        """).execute(Tuple.of(versionIds.toArray(UUID[]::new), wire(target), reason, fromStates(target)))
                .map(rows -> {
                    if (rows.rowCount() != versionIds.size()) {
                        throw new IllegalStateException("version(s) " + versionIds + " cannot move to " + wire(target)
                                + " from where they are; allowed from " + Arrays.toString(fromStates(target)));
                    }
                    return rows.rowCount();
                });
    }

    /**
     * After a version finished: the episode is PROCESSING while another version is on its way, else READY when it
     * has a current version, else FAILED.
     */
    private static Uni<Void> settleEpisodes(SqlClient tx, Collection<UUID> versionIds) {
        // The episodes are locked first, in a statement of their own: the settling statement then starts after any
        // concurrent change to them or their versions has committed and sees it (read committed takes a snapshot
        // per statement), so two versions finishing at once cannot each count the other as still in flight.
        return tx.preparedQuery("""
                        select id from episode where id in (select episode_id from episode_version where id = any($1))
                        order by id for update
                        """).execute(Tuple.of(versionIds.toArray(UUID[]::new)))
                .flatMap(locked -> tx.preparedQuery("""
                        with target as (
                            select e.id, e.state as from_state, case
                                when exists (select 1 from episode_version o where o.episode_id = e.id
                                             and o.state in ('queued', 'transcoding')) then 'processing'
                                when e.current_version_id is not null then 'ready'
                                else 'failed' end as to_state
                            from episode e where e.id in (select episode_id from episode_version where id = any($1))
                        )
                        update episode e set state = t.to_state, updated_at = now(), row_version = row_version + 1
                        from target t where e.id = t.id and t.from_state || '>' || t.to_state = any($2)
                        returning e.id, t.from_state, t.to_state
                        """).execute(Tuple.of(versionIds.toArray(UUID[]::new), EPISODE_PAIRS)))
                .flatMap(moved -> tx.preparedQuery("""
                                select count(distinct episode_id) as episodes from episode_version where id = any($1)
                                """).execute(Tuple.of(versionIds.toArray(UUID[]::new)))
                        .map(count -> {
                            if (count.iterator().next().getLong("episodes") != moved.rowCount()) {
                                throw new IllegalStateException("the episodes of versions " + versionIds
                                        + " are in a state they cannot leave this way");
                            }
                            return null;
                        }))
                .replaceWithVoid();
    }

    private static Uni<UUID> moveEpisode(SqlClient tx, String where, Tuple args, EpisodeState target, String what) {
        int n = args.size();
        return tx.preparedQuery("update episode set state = $" + (n + 1) + ", updated_at = now(), "
                        + "row_version = row_version + 1 where " + where + " and state = any($" + (n + 2) + ") returning id")
                .execute(args.addValue(target.wire()).addValue(fromStates(target)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new IllegalStateException(what + " cannot move to " + target.wire());
                    }
                    return rows.iterator().next().getUUID("id");
                });
    }

    static String[] fromStates(State target) {
        return VERSION_MOVES.entrySet().stream().filter(e -> e.getValue().contains(target))
                .map(e -> wire(e.getKey())).sorted().toArray(String[]::new);
    }

    static String[] fromStates(EpisodeState target) {
        return EPISODE_MOVES.entrySet().stream().filter(e -> e.getValue().contains(target))
                .map(e -> e.getKey().wire()).sorted().toArray(String[]::new);
    }

    static String wire(State state) {
        return state.name().toLowerCase();
    }
}

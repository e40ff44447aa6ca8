package com.microdrama.catalogue;

import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microdrama.catalogue.EpisodeLifecycle.NewRendition;
import com.microdrama.catalogue.EpisodeLifecycle.NewSource;
import com.microdrama.catalogue.EpisodeLifecycle.Outputs;
import com.microdrama.catalogue.EpisodeVersion.State;
import com.microdrama.core.auth.Roles;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The episode's media state machine: every legal move, the illegal ones refused, and what the database holds. */
@QuarkusTest
class EpisodeLifecycleTest {

    @Inject
    EpisodeLifecycle lifecycle;
    @Inject
    Pool pool;
    @Inject
    AgroalDataSource db;

    @Test
    void the_tables_allow_the_pipeline_moves_and_nothing_out_of_a_ready_version() {
        assertTrue(EpisodeLifecycle.allowed(State.QUEUED, State.TRANSCODING));
        assertTrue(EpisodeLifecycle.allowed(State.TRANSCODING, State.TRANSCODING), "a retried job starts again");
        assertTrue(EpisodeLifecycle.allowed(State.TRANSCODING, State.READY));
        assertTrue(EpisodeLifecycle.allowed(State.FAILED, State.QUEUED), "an operator's retry");
        assertTrue(EpisodeLifecycle.allowed(State.QUEUED, State.CANCELLED), "a queued job cancelled");
        for (State to : State.values()) {
            assertFalse(EpisodeLifecycle.allowed(State.READY, to), "ready is final, not -> " + to);
        }
        assertFalse(EpisodeLifecycle.allowed(State.QUEUED, State.READY), "nothing is ready without an encode");
        assertFalse(EpisodeLifecycle.allowed(State.FAILED, State.READY));
        assertFalse(EpisodeLifecycle.allowed(State.CANCELLED, State.TRANSCODING), "a cancelled version is retried first");

        assertTrue(EpisodeLifecycle.allowed(EpisodeState.AWAITING_SOURCE, EpisodeState.PROCESSING));
        assertTrue(EpisodeLifecycle.allowed(EpisodeState.READY, EpisodeState.PROCESSING), "a re-upload");
        assertFalse(EpisodeLifecycle.allowed(EpisodeState.AWAITING_SOURCE, EpisodeState.READY));
        assertFalse(EpisodeLifecycle.allowed(EpisodeState.READY, EpisodeState.FAILED), "a playable episode never fails");
        for (EpisodeState from : EpisodeState.values()) {
            assertFalse(EpisodeLifecycle.allowed(from, EpisodeState.AWAITING_SOURCE), "no way back to no source");
        }
    }

    @Test
    void a_version_goes_from_upload_to_ready_and_a_failed_re_upload_keeps_the_episode_playable() {
        UUID series = series();
        VersionView first = inTx(tx -> lifecycle.addVersion(tx, series, 1, source()));
        assertEquals(1, first.versionNumber());
        assertEquals("queued", first.state());
        assertEquals("processing", episode(first.episodeId()).get("state"));

        assertTrue(this.<Boolean>inTx(tx -> lifecycle.startTranscoding(tx, first.id())), "a queued version starts encoding");
        Outputs firstOutputs = outputs(first);
        inTx(tx -> lifecycle.ready(tx, first.id(), firstOutputs, renditions()));
        Map<String, Object> ready = episode(first.episodeId());
        assertEquals("ready", ready.get("state"));
        assertEquals(first.id(), ready.get("current_version_id"));
        assertEquals(2000, ready.get("duration_ms"));
        assertEquals(1L, Db.row(db, "select count(*) as n from rendition where version_id = ?", first.id()).get("n"));

        VersionView second = inTx(tx -> lifecycle.addVersion(tx, series, 1, source()));
        assertEquals(2, second.versionNumber());
        assertEquals(first.episodeId(), second.episodeId());
        assertEquals("processing", episode(first.episodeId()).get("state"), "processing while the new version encodes");
        assertTrue(this.<Boolean>inTx(tx -> lifecycle.startTranscoding(tx, second.id())), "a queued version starts encoding");
        inTx(tx -> lifecycle.ended(tx, List.of(second.id()), State.FAILED, "bad media"));

        Map<String, Object> after = episode(first.episodeId());
        assertEquals("ready", after.get("state"), "the current version still plays");
        assertEquals(first.id(), after.get("current_version_id"));
        assertEquals("bad media", version(second.id()).get("failure_reason"));
    }

    @Test
    void an_episode_with_nothing_playable_fails_and_an_operator_retry_puts_it_back_in_processing() {
        UUID series = series();
        VersionView v = inTx(tx -> lifecycle.addVersion(tx, series, 1, source()));
        assertTrue(this.<Boolean>inTx(tx -> lifecycle.startTranscoding(tx, v.id())), "a queued version starts encoding");
        inTx(tx -> lifecycle.ended(tx, List.of(v.id()), State.FAILED, "ffmpeg could not decode"));
        assertEquals("failed", episode(v.episodeId()).get("state"));
        assertNull(episode(v.episodeId()).get("current_version_id"));

        inTx(tx -> lifecycle.requeued(tx, v.id()));
        assertEquals("queued", version(v.id()).get("state"));
        assertNull(version(v.id()).get("failure_reason"));
        assertEquals("processing", episode(v.episodeId()).get("state"));
    }

    @Test
    void illegal_moves_are_refused_and_roll_back_the_callers_transaction() {
        UUID series = series();
        VersionView v = inTx(tx -> lifecycle.addVersion(tx, series, 1, source()));
        Outputs outputs = outputs(v);
        IllegalStateException notEncoded = assertThrows(IllegalStateException.class,
                () -> inTx(tx -> lifecycle.ready(tx, v.id(), outputs, renditions())));
        assertTrue(notEncoded.getMessage().contains("cannot move to ready"), notEncoded.getMessage());
        assertEquals("queued", version(v.id()).get("state"));
        assertEquals(0L, Db.row(db, "select count(*) as n from rendition where version_id = ?", v.id()).get("n"),
                "the renditions written before the refusal were rolled back");
        assertEquals("processing", episode(v.episodeId()).get("state"));

        assertTrue(this.<Boolean>inTx(tx -> lifecycle.startTranscoding(tx, v.id())), "a queued version starts encoding");
        inTx(tx -> lifecycle.ready(tx, v.id(), outputs, renditions()));
        assertThrows(IllegalStateException.class, () -> inTx(tx -> lifecycle.requeued(tx, v.id())),
                "a ready version is never re-queued");
        assertThrows(IllegalStateException.class,
                () -> inTx(tx -> lifecycle.ended(tx, List.of(v.id()), State.CANCELLED, "too late")));
        assertThrows(IllegalArgumentException.class,
                () -> inTx(tx -> lifecycle.ended(tx, List.of(v.id()), State.READY, "not an end")));
        assertEquals("ready", version(v.id()).get("state"));
        assertEquals("ready", episode(v.episodeId()).get("state"));
    }

    private <T> T inTx(Function<SqlClient, Uni<T>> work) {
        return pool.withTransaction(work::apply).await().atMost(Duration.ofSeconds(10));
    }

    private static UUID series() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        return UUID.fromString(createSeries(producer, seriesBody(unique("lifecycle"))));
    }

    private static NewSource source() {
        return new NewSource("raw/test/" + UUID.randomUUID(), 1234, null, "{\"width\": 360}");
    }

    private Outputs outputs(VersionView v) {
        // The schema requires an encryption key on a ready version; the worker sets it before encoding.
        lifecycle.encodeSource(v.id(), new byte[16]).await().atMost(Duration.ofSeconds(10));
        String prefix = "hls/" + v.episodeId() + "/" + v.id() + "/";
        return new Outputs(prefix, prefix + "poster.jpg", prefix + "thumbnail.jpg", 2000);
    }

    private static List<NewRendition> renditions() {
        return List.of(new NewRendition("360p", 360, 640, 800_000, 700_000, "avc1.64001e,mp4a.40.2", 30, "x/360p.m3u8"));
    }

    private Map<String, Object> episode(UUID id) {
        return Db.row(db, "select state, current_version_id, duration_ms from episode where id = ?", id);
    }

    private Map<String, Object> version(UUID id) {
        return Db.row(db, "select state, failure_reason from episode_version where id = ?", id);
    }
}

package com.microdrama.analytics;

import static com.microdrama.analytics.Viewing.event;
import static com.microdrama.analytics.Viewing.post;
import static com.microdrama.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventIntakeTest {

    @Inject
    AgroalDataSource db;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String viewerId = Tokens.newSubject(Roles.VIEWER);
    private final String viewer = Tokens.of(Roles.VIEWER, viewerId);

    private long stored(String viewer) {
        return (Long) Db.row(db, "select count(*) as n from analytics_event where viewer_id = ?", viewer).get("n");
    }

    @Test
    void an_acknowledged_batch_is_already_committed_with_server_time_and_a_resent_batch_counts_once() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "ingest", 2, 10, 1);
        String episode = series.episodes().get(0);
        Instant clientTime = Instant.now().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.MILLIS);
        List<Map<String, Object>> batch = List.of(
                event("a-1", "play_start", episode, clientTime, 0.0),
                event("a-2", "progress", episode, clientTime.plusSeconds(10), 10.5),
                event("a-3", "leave", episode, clientTime.plusSeconds(20), 20.0),
                event("a-3", "leave", episode, clientTime.plusSeconds(20), 20.0));

        Instant before = Instant.now();
        post(viewer, batch).then().statusCode(202).body("accepted", equalTo(3)).body("duplicates", equalTo(1));
        // Read on another connection right after the 202: the rows are committed.
        List<Map<String, Object>> rows = Db.rows(db, """
                select event_id, kind, source, position_ms, occurred_at, received_at from analytics_event
                where viewer_id = ? order by event_id
                """, viewerId);
        assertThat(rows).extracting(r -> r.get("event_id")).containsExactly("a-1", "a-2", "a-3");
        assertThat(rows).extracting(r -> r.get("position_ms")).containsExactly(0, 10500, 20000);
        assertThat(rows).allSatisfy(r -> assertThat(r.get("source")).isEqualTo("client"));
        assertThat(((Timestamp) rows.get(0).get("occurred_at")).toInstant()).isEqualTo(clientTime);
        assertThat(((Timestamp) rows.get(0).get("received_at")).toInstant())
                .isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(Instant.now());

        post(viewer, batch).then().statusCode(202).body("accepted", equalTo(0)).body("duplicates", equalTo(4));
        post(viewer, List.of(batch.get(1), event("a-4", "complete", episode, clientTime.plusSeconds(30), null)))
                .then().statusCode(202).body("accepted", equalTo(1)).body("duplicates", equalTo(1));
        assertThat(stored(viewerId)).isEqualTo(4);
    }

    @Test
    void bad_events_are_refused_by_index_and_field_and_nothing_of_the_batch_is_stored() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "badev", 2, 10, 1);
        String episode = series.episodes().get(0);
        Instant now = Instant.now();
        List<Map<String, Object>> batch = List.of(
                event("ok-1", "progress", episode, now, 3.0),
                event("ok-2", "progress", episode, now, null),
                event("ok-3", "playback_start", episode, now, null),
                event("has space", "leave", episode, now, -1.0),
                event("ok-5", "progress", UUID.randomUUID().toString(), now, 1.0),
                event("ok-6", "complete", episode, now.plus(Duration.ofHours(1)), null),
                event("ok-7", "unlock", episode, now.minus(Duration.ofDays(3)), null),
                event("server:x", "paywall_shown", episode, now, null));
        post(viewer, batch).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("events[1].positionSeconds", "events[2].type", "events[3].id",
                        "events[3].positionSeconds", "events[5].occurredAt", "events[6].type", "events[6].occurredAt",
                        "events[7].id"))
                .body("detail", containsString("events[1].positionSeconds: is required for progress"))
                .body("errors.find { it.field == 'events[2].type' }.message",
                        equalTo("'playback_start' is recorded by the server, never taken from clients"));
        // The episode is checked once the rest is well-formed.
        post(viewer, List.of(batch.get(0), batch.get(4))).then().statusCode(400)
                .body("errors.field", equalTo(List.of("events[1].episodeId")))
                .body("errors[0].message", equalTo("no such episode"));
        as(viewer).body("{\"events\":[{\"id\":\"x\",\"type\":\"progress\",\"episodeId\":\"" + episode
                        + "\",\"occurredAt\":\"" + now + "\",\"positionSeconds\":\"far\"}]}")
                .post("/api/v1/events").then().statusCode(400).body("errors[0].field", equalTo("events[0].positionSeconds"));
        post(viewer, List.of()).then().statusCode(400).body("errors[0].field", equalTo("events"));
        post(viewer, Viewing.progressEvents(episode, 101)).then().statusCode(400)
                .body("detail", equalTo("events: holds 101 events; at most 100 per batch"));
        assertThat(stored(viewerId)).isZero();
    }

    @Test
    void only_viewers_send_events() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "roleev", 2, 10, 1);
        List<Map<String, Object>> batch = List.of(event("progress", series.episodes().get(0), 1.0));
        given().contentType("application/json").body(Map.of("events", batch)).post("/api/v1/events").then().statusCode(401);
        post(producer, batch).then().statusCode(403);
    }

    @Test
    void a_viewer_sending_too_much_gets_429_with_retry_after_and_other_viewers_go_on() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "rate", 2, 10, 1);
        String episode = series.episodes().get(0);
        for (int i = 0; i < 6; i++) {
            post(viewer, Viewing.progressEvents(episode, 100)).then().statusCode(202).body("accepted", equalTo(100));
        }
        String retryAfter = post(viewer, Viewing.progressEvents(episode, 1)).then().statusCode(429)
                .contentType("application/problem+json").extract().header("Retry-After");
        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 3600L);
        assertThat(stored(viewerId)).isEqualTo(600);

        String otherId = Tokens.newSubject(Roles.VIEWER);
        post(Tokens.of(Roles.VIEWER, otherId), Viewing.progressEvents(episode, 5)).then().statusCode(202);
    }

    @Test
    void plays_and_unlocks_are_recorded_by_the_server_with_their_coins() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "facts", 1, 30, 3);
        Viewing.topUp100(viewerId);

        as(viewer).get("/api/v1/episodes/" + series.episodes().get(0) + "/playback").then().statusCode(200);
        as(viewer).header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/api/v1/episodes/" + series.episodes().get(1) + "/unlock").then().statusCode(200);
        Viewing.awaitServerEvents(db, viewerId, 2);

        List<Map<String, Object>> facts = Db.rows(db, """
                select kind, episode_id::text as episode, coins from analytics_event
                where viewer_id = ? and source = 'server' order by kind
                """, viewerId);
        assertThat(facts).extracting(r -> List.of(r.get("kind"), r.get("episode"), r.get("coins"))).containsExactly(
                List.of("playback_start", series.episodes().get(0), 0),
                List.of("unlock", series.episodes().get(1), 30));
    }

    @Test
    void plays_and_unlocks_go_on_when_analytics_cannot_write() {
        Api.PlayableSeries series = Api.playableSeries(db, producer, "isolated", 1, 30, 2);
        Viewing.topUp100(viewerId);
        Api.sql(db, "alter table analytics_event rename to analytics_event_away");
        try {
            as(viewer).get("/api/v1/episodes/" + series.episodes().get(0) + "/playback").then().statusCode(200);
            as(viewer).header("Idempotency-Key", UUID.randomUUID().toString())
                    .post("/api/v1/episodes/" + series.episodes().get(1) + "/unlock").then().statusCode(200)
                    .body("outcome", equalTo("UNLOCKED"));
            // The facts' writes fail on their own threads; give them the time to.
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Api.sql(db, "alter table analytics_event_away rename to analytics_event");
        }
        assertThat(stored(viewerId)).isZero();
        as(viewer).get("/api/v1/episodes/" + series.episodes().get(1) + "/playback").then().statusCode(200);
        Viewing.awaitServerEvents(db, viewerId, 1);
    }
}

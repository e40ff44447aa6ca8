package com.microdrama.playback;

import static com.microdrama.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The in-memory catalogue facts and verified tokens of the viewer hot paths: a change made anywhere (here SQL by
 * hand, as another instance or an operator would) reaches playback and lists within moments, well before the
 * caches' time limit (10 min), and a cached token is never a way around verification.
 */
@QuarkusTest
class HotPathCachesTest {

    /** Far below catalogue.cache.ttl: only the change announcement can make it. */
    private static final Duration SOON = Duration.ofMillis(1500);

    @Inject
    AgroalDataSource db;

    @Test
    void a_free_episode_that_becomes_paid_is_locked_at_once_though_it_was_just_played() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries series = Api.playableSeries(db, producer, "hot", 2, 10, 3);
        String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        String playback = "/api/v1/episodes/" + series.episodes().get(1) + "/playback";
        for (int i = 0; i < 3; i++) {
            as(viewer).get(playback).then().statusCode(200).body("access", equalTo("free"));
        }
        as(viewer).get("/api/v1/series/" + series.id() + "/episodes").then().statusCode(200)
                .body("lock", equalTo(List.of("free", "free", "locked")));

        Api.sql(db, "update series set free_episode_count = 1 where id = ?::uuid", series.id());
        assertSoon("the episode is locked", () -> as(viewer).get(playback).statusCode() == 402);
        assertSoon("the list shows it locked", () -> as(viewer).get("/api/v1/series/" + series.id() + "/episodes")
                .then().extract().jsonPath().getList("lock").equals(List.of("free", "locked", "locked")));
        as(viewer).get(playback).then().statusCode(402).body("price", equalTo(10));
    }

    @Test
    void an_unpublished_episode_and_a_renamed_one_are_seen_at_once() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries series = Api.playableSeries(db, producer, "hot", 3, 10, 3);
        String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        String first = "/api/v1/episodes/" + series.episodes().get(0) + "/playback";
        as(viewer).get(first).then().statusCode(200).body("next.number", equalTo(2));
        as(viewer).get("/api/v1/series/" + series.id() + "/episodes").then().statusCode(200)
                .body("title", equalTo(List.of("Episode 1", "Episode 2", "Episode 3")));

        Api.sql(db, "update episode set published = false where id = ?::uuid", series.episodes().get(1));
        Api.sql(db, "update episode set title = 'Renamed' where id = ?::uuid", series.episodes().get(2));
        assertSoon("the next episode skips the unpublished one",
                () -> as(viewer).get(first).then().extract().jsonPath().getInt("next.number") == 3);
        assertSoon("the list drops it and shows the new title", () -> as(viewer)
                .get("/api/v1/series/" + series.id() + "/episodes").then().extract().jsonPath().getList("title")
                .equals(List.of("Episode 1", "Renamed")));
        as(viewer).get("/api/v1/episodes/" + series.episodes().get(1) + "/playback").then().statusCode(404);
    }

    @Test
    void a_token_seen_before_does_not_let_an_altered_copy_through() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries series = Api.playableSeries(db, producer, "hot", 1, 10, 1);
        String viewerId = Tokens.newSubject(Roles.VIEWER);
        String token = Tokens.of(Roles.VIEWER, viewerId);
        String playback = "/api/v1/episodes/" + series.episodes().get(0) + "/playback";
        as(token).get(playback).then().statusCode(200);
        as(token).get(playback).then().statusCode(200);

        String[] parts = token.split("\\.");
        char last = parts[2].charAt(parts[2].length() - 2);
        String forged = parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 2)
                + (last == 'A' ? 'B' : 'A') + parts[2].charAt(parts[2].length() - 1);
        as(forged).get(playback).then().statusCode(401);
        // Another subject's claims under the cached token's signature.
        String other = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER)).split("\\.")[1];
        as(parts[0] + "." + other + "." + parts[2]).get(playback).then().statusCode(401);
        as(Tokens.expired(Roles.VIEWER, viewerId)).get(playback).then().statusCode(401);
        RestAssured.given().get(playback).then().statusCode(401);
        as(token).get(playback).then().statusCode(200);
    }

    private static void assertSoon(String what, Supplier<Boolean> check) {
        Instant deadline = Instant.now().plus(SOON);
        while (!check.get()) {
            assertThat(Instant.now()).as(what + " within " + SOON.toMillis() + " ms").isBefore(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}

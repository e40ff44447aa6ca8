package com.microdrama.playback;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createPlayableEpisode;
import static com.microdrama.support.Api.createPublishedSeries;
import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ViewerActivityTest {

    @Inject
    AgroalDataSource db;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));

    @Test
    void progress_is_kept_clamped_to_the_episode_and_marks_it_completed_near_the_end() {
        String series = createPublishedSeries(producer, seriesBody(unique("prog")));
        String episode = createPlayableEpisode(db, producer, series, 1); // 90 s long

        as(viewer).body(Map.of("positionSeconds", 30.5)).put("/api/v1/me/progress/" + episode).then()
                .statusCode(200).body("positionSeconds", equalTo(30.5f)).body("completed", equalTo(false));
        as(viewer).body(Map.of("positionSeconds", 500)).put("/api/v1/me/progress/" + episode).then()
                .statusCode(200).body("positionSeconds", equalTo(90.0f)).body("completed", equalTo(true));
        as(viewer).body(Map.of("positionSeconds", 10)).put("/api/v1/me/progress/" + episode).then()
                .statusCode(200).body("completed", equalTo(true));
    }

    @Test
    void continue_watching_resumes_each_series_where_the_viewer_left_it_most_recent_first() {
        String a = createPublishedSeries(producer, seriesBody(unique("cwa")));
        String a1 = createPlayableEpisode(db, producer, a, 1);
        String b = createPublishedSeries(producer, seriesBody(unique("cwb")));
        String b1 = createPlayableEpisode(db, producer, b, 1);
        String b2 = createPlayableEpisode(db, producer, b, 2);

        as(viewer).body(Map.of("positionSeconds", 42)).put("/api/v1/me/progress/" + a1).then().statusCode(200);
        as(viewer).body(Map.of("positionSeconds", 89)).put("/api/v1/me/progress/" + b1).then().statusCode(200);

        JsonPath list = as(viewer).get("/api/v1/me/continue-watching").then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("seriesId", String.class)).containsExactly(b, a);
        assertThat(list.getList("episodeId", String.class)).as("b1 finished: resume at b2").containsExactly(b2, a1);
        assertThat(list.getList("positionSeconds", Float.class)).containsExactly(0.0f, 42.0f);

        String other = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        as(other).get("/api/v1/me/continue-watching").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void continue_watching_never_offers_an_episode_unpublished_since() {
        String series = createPublishedSeries(producer, seriesBody(unique("cwun")));
        String e1 = createPlayableEpisode(db, producer, series, 1);
        String e2 = createPlayableEpisode(db, producer, series, 2);
        as(viewer).body(Map.of("positionSeconds", 20)).put("/api/v1/me/progress/" + e1).then().statusCode(200);
        as(viewer).get("/api/v1/me/continue-watching").then().statusCode(200).body("episodeId", equalTo(List.of(e1)));

        as(producer).post("/api/v1/producer/series/" + series + "/episodes/1/unpublish").then().statusCode(200);
        as(viewer).get("/api/v1/me/continue-watching").then().statusCode(200)
                .body("episodeId", equalTo(List.of(e2)), "positionSeconds", equalTo(List.of(0.0f)));

        as(producer).post("/api/v1/producer/series/" + series + "/episodes/2/unpublish").then().statusCode(200);
        as(viewer).get("/api/v1/me/continue-watching").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void bad_progress_requests_are_refused() {
        String series = createPublishedSeries(producer, seriesBody(unique("badp")));
        String episode = createPlayableEpisode(db, producer, series, 1);
        as(viewer).body(Map.of("positionSeconds", -1)).put("/api/v1/me/progress/" + episode).then()
                .statusCode(400).body("errors.field", hasItem("positionSeconds"));
        as(viewer).body(Map.of()).put("/api/v1/me/progress/" + episode).then().statusCode(400);
        as(viewer).body(Map.of("positionSeconds", 1)).put("/api/v1/me/progress/" + UUID.randomUUID()).then().statusCode(404);
        String unpublished = as(producer).body(Map.of("number", 2)).post("/api/v1/producer/series/" + series + "/episodes")
                .then().statusCode(201).extract().path("id");
        as(viewer).body(Map.of("positionSeconds", 1)).put("/api/v1/me/progress/" + unpublished).then().statusCode(404);
        given().contentType("application/json").body(Map.of("positionSeconds", 1)).put("/api/v1/me/progress/" + episode)
                .then().statusCode(401);
        as(producer).body(Map.of("positionSeconds", 1)).put("/api/v1/me/progress/" + episode).then().statusCode(403);
    }

    @Test
    void favourites_are_idempotent_and_only_for_visible_series() {
        String series = createPublishedSeries(producer, seriesBody(unique("fav")));
        as(viewer).put("/api/v1/me/favourites/" + series).then().statusCode(204);
        as(viewer).put("/api/v1/me/favourites/" + series).then().statusCode(204);
        as(viewer).get("/api/v1/me/favourites").then().statusCode(200).body("seriesId", equalTo(List.of(series)));
        as(viewer).delete("/api/v1/me/favourites/" + series).then().statusCode(204);
        as(viewer).get("/api/v1/me/favourites").then().statusCode(200).body("size()", equalTo(0));

        String draft = createSeries(producer, seriesBody(unique("favdraft")));
        as(viewer).put("/api/v1/me/favourites/" + draft).then().statusCode(404).contentType("application/problem+json");
        as(viewer).put("/api/v1/me/favourites/" + UUID.randomUUID()).then().statusCode(404);
    }
}

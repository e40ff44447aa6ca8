package com.microdrama.faults;

import static com.microdrama.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.containsString;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Metrics;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The database and the store out of step: a version the database calls ready whose objects are gone (deleted, or
 * a fresh local store beside an old database). The viewer gets a problem+json that does not blame the request,
 * and operators see it counted.
 */
@QuarkusTest
class MissingMediaTest {

    @Inject
    AgroalDataSource db;

    @Test
    void a_ready_version_without_its_objects_answers_503_and_is_counted() {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        // Ready in the database only: no object was ever written for it.
        Api.PlayableSeries series = Api.playableSeries(db, producer, "nomedia", 1, 10, 1);
        String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        String master = as(viewer).get("/api/v1/episodes/" + series.episodes().get(0) + "/playback").then()
                .statusCode(200).extract().path("masterUrl");
        double before = Metrics.value("playback_media_missing_total");

        io.restassured.RestAssured.given().get(master).then().statusCode(503)
                .contentType(startsWith("application/problem+json"))
                .body("title", equalTo("Episode unavailable"))
                .body("detail", containsString("on our side"))
                .body("detail", not(containsString("hls/")));
        assertThat(Metrics.value("playback_media_missing_total") - before).isEqualTo(1);
    }
}

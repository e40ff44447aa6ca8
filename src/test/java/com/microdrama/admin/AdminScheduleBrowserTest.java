package com.microdrama.admin;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.playableSeries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.BrowserScript;
import com.microdrama.support.Db;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The dashboard's schedule panel in chromium (src/test/browser/schedule.mjs): an operator moves and releases. */
@QuarkusTest
class AdminScheduleBrowserTest {

    @Inject
    AgroalDataSource db;
    @TestHTTPResource("/")
    URL base;

    @Test
    void an_operator_moves_an_upcoming_release_in_their_time_zone_then_releases_it_now() throws Exception {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries s = playableSeries(db, producer, "panel", 3, 10, 2);
        Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        as(producer).body(Map.of("releaseAt", tomorrow.toString()))
                .put("/api/v1/producer/series/" + s.id() + "/schedule/episodes/2").then().statusCode(200);

        // 20:00 in New York on the day daylight saving starts there (EDT, UTC-4): midnight UTC.
        String output = BrowserScript.run("schedule.mjs", Map.of(
                "BASE_URL", base.toString().replaceAll("/+$", ""),
                "OPERATOR_TOKEN", Tokens.of(Roles.OPERATOR, "ops-schedule"),
                "SERIES_ID", s.id(),
                "EPISODE_NUMBER", "2",
                "MOVE_TO", "2031-03-09T20:00",
                "TZ", "America/New_York"), Media.tempDir(), 3);

        JsonPath summary = JsonPath.from(output.substring(output.indexOf('{')));
        assertThat(Instant.parse(summary.getString("before"))).isEqualTo(tomorrow);
        assertThat(summary.getString("after")).isEqualTo("2031-03-10T00:00:00Z");
        assertThat(Db.row(db, "select release_at from episode where series_id = ? and number = 2", UUID.fromString(s.id())))
                .containsEntry("release_at", null);
        as(Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER))).get("/api/v1/series/" + s.id() + "/episodes")
                .then().statusCode(200).body("number", equalTo(List.of(1, 2)));
        BrowserScript.assertPng(BrowserScript.OUT.resolve("schedule.png"), 1440, 900, 20_000);
    }
}

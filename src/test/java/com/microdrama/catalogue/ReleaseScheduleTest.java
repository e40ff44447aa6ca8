package com.microdrama.catalogue;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.playableSeries;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReleaseScheduleTest {

    @Inject
    AgroalDataSource db;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));

    @Test
    void daily_rule_keeps_the_local_time_across_a_daylight_saving_change_and_follows_a_zone_change() {
        Api.PlayableSeries s = playableSeries(db, producer, "daily", 1, 10, 4);
        // Berlin leaves summer time on 25 October 2026: 20:00 is 18:00Z before, 19:00Z after.
        JsonPath berlin = daily(s.id(), 2, "20:00", "Europe/Berlin", "2026-10-24");
        assertThat(releaseTimes(berlin)).containsExactly(null, "2026-10-24T18:00:00Z", "2026-10-25T19:00:00Z",
                "2026-10-26T19:00:00Z");
        assertThat(berlin.getString("daily.zone")).isEqualTo("Europe/Berlin");

        JsonPath tokyo = daily(s.id(), 2, "20:00", "Asia/Tokyo", "2026-10-24");
        assertThat(releaseTimes(tokyo)).containsExactly(null, "2026-10-24T11:00:00Z", "2026-10-25T11:00:00Z",
                "2026-10-26T11:00:00Z");

        // An episode created later gets its slot from the rule.
        as(producer).body(Map.of("number", 5)).post("/api/v1/producer/series/" + s.id() + "/episodes")
                .then().statusCode(201).body("releaseAt", equalTo("2026-10-27T11:00:00Z"));
    }

    @Test
    void an_episode_first_created_by_an_upload_gets_its_slot_from_the_daily_rule() {
        String series = Api.createSeries(producer, Api.seriesBody(Api.unique("upload-slot")));
        daily(series, 2, "20:00", "Europe/Berlin", "2026-10-24");
        // Episode 3 does not exist until its source arrives; its slot falls on the day Berlin leaves summer time.
        as(producer).contentType("video/mp4").body(com.microdrama.support.Media.vertical().toFile())
                .post("/api/v1/producer/series/" + series + "/episodes/3/source").then().statusCode(201);
        assertThat(as(producer).get("/api/v1/producer/series/" + series + "/schedule").then().statusCode(200)
                .extract().jsonPath().getString("episodes.find { it.number == 3 }.releaseAt"))
                .isEqualTo("2026-10-25T19:00:00Z");
    }

    @Test
    void a_scheduled_episode_is_invisible_until_its_instant_and_the_series_shows_when_it_arrives() {
        Api.PlayableSeries s = playableSeries(db, producer, "sched", 3, 10, 4);
        Instant tomorrow = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant dayAfter = tomorrow.plus(1, ChronoUnit.DAYS);
        episodeAt(s.id(), 3, tomorrow).then().statusCode(200);
        episodeAt(s.id(), 4, dayAfter).then().statusCode(200);

        given().get("/api/v1/series/" + s.id()).then().statusCode(200)
                .body("episodeCount", equalTo(2))
                .body("nextEpisode.number", equalTo(3))
                .body("nextEpisode.releaseAt", equalTo(tomorrow.toString()));
        as(viewer).get("/api/v1/series/" + s.id() + "/episodes").then().statusCode(200)
                .body("number", equalTo(List.of(1, 2)));
        // Nothing of an unreleased episode is reachable: not its playback, its unlock or its poster.
        String third = s.episodes().get(2);
        as(viewer).get("/api/v1/episodes/" + third + "/playback").then().statusCode(404);
        as(viewer).header("Idempotency-Key", Api.unique("k")).post("/api/v1/episodes/" + third + "/unlock")
                .then().statusCode(404);
        given().get("/api/v1/episodes/" + third + "/poster").then().statusCode(404);
        // Continue-watching after episode 2 does not jump to an unreleased episode 3.
        as(viewer).body(Map.of("positionSeconds", 90)).put("/api/v1/me/progress/" + s.episodes().get(1))
                .then().statusCode(200);
        as(viewer).get("/api/v1/me/continue-watching").then().statusCode(200)
                .body("seriesId", org.hamcrest.Matchers.not(hasItem(s.id())));

        // The producer brings episode 3 forward to now: visible at once, the next arrival becomes episode 4.
        episodeAt(s.id(), 3, Instant.now()).then().statusCode(200).body("episodes[2].released", equalTo(true));
        given().get("/api/v1/series/" + s.id()).then().statusCode(200)
                .body("episodeCount", equalTo(3))
                .body("nextEpisode.number", equalTo(4));
        as(viewer).get("/api/v1/episodes/" + third + "/playback").then().statusCode(200);
    }

    @Test
    void an_episode_appears_at_its_instant_with_no_process_acting() throws InterruptedException {
        Api.PlayableSeries s = playableSeries(db, producer, "instant", 3, 10, 2);
        Instant soon = Instant.now().plusMillis(1500);
        episodeAt(s.id(), 2, soon).then().statusCode(200).body("nextReleaseAt", equalTo(soon.toString()));
        // Read twice: the second answer comes from the in-memory list, which no write will clear before the instant.
        as(viewer).get("/api/v1/series/" + s.id() + "/episodes").then().body("number", equalTo(List.of(1)));
        as(viewer).get("/api/v1/series/" + s.id() + "/episodes").then().body("number", equalTo(List.of(1)));
        as(viewer).get("/api/v1/episodes/" + s.episodes().get(0) + "/playback").then().statusCode(200)
                .body("next", nullValue());

        Thread.sleep(Math.max(0, soon.toEpochMilli() - System.currentTimeMillis()) + 50);
        as(viewer).get("/api/v1/series/" + s.id() + "/episodes").then().body("number", equalTo(List.of(1, 2)));
        given().get("/api/v1/series/" + s.id()).then().body("nextEpisode", nullValue());
        as(viewer).get("/api/v1/episodes/" + s.episodes().get(0) + "/playback").then().statusCode(200)
                .body("next.number", equalTo(2));
    }

    @Test
    void clearing_the_daily_rule_releases_what_it_held_back_but_keeps_an_episodes_own_time() {
        Api.PlayableSeries s = playableSeries(db, producer, "clear", 3, 10, 3);
        daily(s.id(), 2, "09:30", "America/New_York", null);
        Instant own = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        episodeAt(s.id(), 3, own).then().statusCode(200);
        as(viewer).get("/api/v1/series/" + s.id() + "/episodes").then().body("number", equalTo(List.of(1)));

        JsonPath cleared = as(producer).delete("/api/v1/producer/series/" + s.id() + "/schedule/daily")
                .then().statusCode(200).body("daily", nullValue()).extract().jsonPath();
        assertThat(releaseTimes(cleared)).containsExactly(null, null, own.toString());
        as(viewer).get("/api/v1/series/" + s.id() + "/episodes").then().body("number", equalTo(List.of(1, 2)));
    }

    @Test
    void producers_are_confined_to_their_series_and_operators_see_and_change_any() {
        Api.PlayableSeries s = playableSeries(db, producer, "ops", 3, 10, 2);
        String stranger = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        String operator = Tokens.of(Roles.OPERATOR, "ops-1");
        as(stranger).get("/api/v1/producer/series/" + s.id() + "/schedule").then().statusCode(403);
        as(viewer).get("/api/v1/producer/series/" + s.id() + "/schedule").then().statusCode(403);

        Instant later = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        as(operator).body(Map.of("releaseAt", later.toString()))
                .put("/api/v1/producer/series/" + s.id() + "/schedule/episodes/2").then().statusCode(200);
        as(producer).get("/api/v1/producer/series/" + s.id() + "/schedule").then().statusCode(200)
                .body("episodes[1].releaseAt", equalTo(later.toString()))
                .body("episodes[1].released", equalTo(false))
                .body("nextEpisodeNumber", equalTo(2));
    }

    @Test
    void upcoming_releases_list_soonest_first_every_series_for_operators_and_their_own_for_producers() {
        Api.PlayableSeries mine = playableSeries(db, producer, "ahead", 3, 10, 3);
        String stranger = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        Api.PlayableSeries theirs = playableSeries(db, stranger, "ahead", 3, 10, 1);
        String operator = Tokens.of(Roles.OPERATOR, "ops-1");
        Instant soon = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant between = soon.plus(1, ChronoUnit.HOURS);
        Instant later = soon.plus(2, ChronoUnit.HOURS);
        episodeAt(mine.id(), 3, later).then().statusCode(200);
        episodeAt(mine.id(), 2, soon).then().statusCode(200);
        as(stranger).body(Map.of("releaseAt", between.toString()))
                .put("/api/v1/producer/series/" + theirs.id() + "/schedule/episodes/1").then().statusCode(200);

        List<Map<String, Object>> own = walk(producer, "/api/v1/producer/releases", 1);
        assertThat(own).extracting(r -> r.get("seriesId")).containsOnly(mine.id());
        assertThat(own).extracting(r -> r.get("number")).containsExactly(2, 3);
        assertThat(own).extracting(r -> r.get("releaseAt")).containsExactly(soon.toString(), later.toString());
        assertThat(own).extracting(r -> r.get("published"), r -> r.get("ready"))
                .containsOnly(org.assertj.core.groups.Tuple.tuple(true, true));

        List<String> everyone = walk(operator, "/api/v1/admin/releases", 200).stream()
                .filter(r -> List.of(mine.id(), theirs.id()).contains(r.get("seriesId")))
                .map(r -> r.get("seriesId").equals(mine.id()) ? "mine " + r.get("number") : "theirs " + r.get("number"))
                .toList();
        assertThat(everyone).containsExactly("mine 2", "theirs 1", "mine 3");
        assertThat(walk(operator, "/api/v1/producer/releases", 200)).extracting(r -> r.get("seriesId"))
                .contains(mine.id(), theirs.id());

        // The operator releases episode 3 at once; its producer's view follows, and viewers see it.
        Map<String, Object> now = new HashMap<>();
        now.put("releaseAt", null);
        as(operator).body(now).put("/api/v1/producer/series/" + mine.id() + "/schedule/episodes/3").then()
                .statusCode(200);
        assertThat(walk(producer, "/api/v1/producer/releases", 1)).extracting(r -> r.get("number")).containsExactly(2);
        as(viewer).get("/api/v1/series/" + mine.id() + "/episodes").then().body("number", equalTo(List.of(1, 3)));

        as(viewer).get("/api/v1/producer/releases").then().statusCode(403);
        as(producer).get("/api/v1/admin/releases").then().statusCode(403);
        given().get("/api/v1/admin/releases").then().statusCode(401);
        as(operator).queryParam("cursor", "nope").get("/api/v1/admin/releases").then().statusCode(400);
    }

    private static List<Map<String, Object>> walk(String token, String path, int limit) {
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var request = as(token).queryParam("limit", limit);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
            items.addAll(page.getList("items"));
            cursor = page.getString("nextCursor");
        } while (cursor != null && items.size() < 2000);
        return items;
    }

    @Test
    void a_bad_rule_is_refused_naming_the_field() {
        Api.PlayableSeries s = playableSeries(db, producer, "bad", 3, 10, 1);
        Map<String, Object> rule = new HashMap<>(Map.of("fromEpisode", 1, "at", "20:00", "zone", "Mars/Olympus"));
        as(producer).body(rule).put("/api/v1/producer/series/" + s.id() + "/schedule/daily").then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("zone"));
        rule.put("zone", "UTC");
        rule.put("at", "24:00");
        as(producer).body(rule).put("/api/v1/producer/series/" + s.id() + "/schedule/daily").then()
                .statusCode(400).body("errors.field", hasItem("at"));
    }

    private JsonPath daily(String seriesId, int from, String at, String zone, String startDate) {
        Map<String, Object> rule = new HashMap<>(Map.of("fromEpisode", from, "at", at, "zone", zone));
        if (startDate != null) {
            rule.put("startDate", startDate);
        }
        return as(producer).body(rule).put("/api/v1/producer/series/" + seriesId + "/schedule/daily")
                .then().statusCode(200).extract().jsonPath();
    }

    private io.restassured.response.Response episodeAt(String seriesId, int number, Instant at) {
        Map<String, Object> body = new HashMap<>();
        body.put("releaseAt", at == null ? null : at.toString());
        return as(producer).body(body).put("/api/v1/producer/series/" + seriesId + "/schedule/episodes/" + number);
    }

    private static List<String> releaseTimes(JsonPath schedule) {
        return schedule.getList("episodes.releaseAt");
    }
}

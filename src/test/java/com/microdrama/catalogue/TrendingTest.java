package com.microdrama.catalogue;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.playableSeries;
import static com.microdrama.support.Api.sql;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.catalogue.export.PopularityCounter;
import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TrendingTest {

    @Inject
    AgroalDataSource db;

    @Inject
    PopularityCounter counter;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Test
    void one_viewer_replaying_a_free_episode_in_a_loop_does_not_move_a_series_up() {
        String genre = unique("loop");
        Api.PlayableSeries looped = series(genre);
        Api.PlayableSeries watched = series(genre);
        String looper = viewer();
        for (int i = 0; i < 50; i++) {
            play(looper, looped.episodes().get(0));
        }
        counter.flush();
        for (int i = 0; i < 50; i++) {
            play(looper, looped.episodes().get(0));
        }
        play(viewer(), watched.episodes().get(0));
        play(viewer(), watched.episodes().get(0));
        counter.flush();

        assertThat(railIds("genre:" + genre)).containsExactly(watched.id(), looped.id());
        assertThat(Db.row(db, "select count(*) as n from trend_count where viewer_id = ?", subject(looper)).get("n"))
                .isEqualTo(1L);
        // The all-time popularity sort still counts every start.
        assertThat(Db.row(db, "select popularity from series where id = ?", UUID.fromString(looped.id()))
                .get("popularity")).isEqualTo(100L);
    }

    @Test
    void finishing_counts_more_than_starting_and_only_once_per_window() {
        String genre = unique("finish");
        Api.PlayableSeries finished = series(genre);
        Api.PlayableSeries started = series(genre);
        String finisher = viewer();
        play(finisher, finished.episodes().get(0));
        play(viewer(), started.episodes().get(0));
        play(viewer(), started.episodes().get(0));
        counter.flush();
        assertThat(railIds("genre:" + genre)).containsExactly(started.id(), finished.id());

        complete(finisher, finished.episodes().get(0));
        counter.flush();
        // 1 play + 1 completion (weight 2) = 3 against 2 plays.
        assertThat(railIds("genre:" + genre)).containsExactly(finished.id(), started.id());
        double score = trendLog(finished.id());
        for (int i = 0; i < 5; i++) {
            complete(finisher, finished.episodes().get(0));
        }
        counter.flush();
        assertThat(trendLog(finished.id())).isEqualTo(score);
    }

    @Test
    void a_play_loses_half_its_weight_every_half_life() {
        String genre = unique("decay");
        Api.PlayableSeries old = series(genre);
        Api.PlayableSeries fresh = series(genre);
        Instant now = Instant.now();
        // Half-life 24 h: three plays two days ago weigh 0.75 now, one play now weighs 1.
        for (int i = 0; i < 3; i++) {
            counter.counted(subject(viewer()), UUID.fromString(old.episodes().get(0)), "play", now.minus(Duration.ofHours(48)));
        }
        counter.counted(subject(viewer()), UUID.fromString(fresh.episodes().get(0)), "play", now);
        counter.flush();
        assertThat(railIds("genre:" + genre)).containsExactly(fresh.id(), old.id());
        assertThat(Math.exp(trendLog(old.id()) - trendLog(fresh.id()))).isCloseTo(0.75, org.assertj.core.api.Assertions.within(0.01));

        // Two more: five plays two days ago weigh 1.25, more than the one of today.
        for (int i = 0; i < 2; i++) {
            counter.counted(subject(viewer()), UUID.fromString(old.episodes().get(0)), "play", now.minus(Duration.ofHours(48)));
        }
        counter.flush();
        assertThat(railIds("genre:" + genre)).containsExactly(old.id(), fresh.id());
    }

    @Test
    void rails_page_by_cursor_and_follow_language_and_genre() {
        String genre = unique("rail");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Api.PlayableSeries s = series(genre);
            ids.add(s.id());
            for (int plays = 0; plays <= i; plays++) {
                play(viewer(), s.episodes().get(0));
            }
        }
        Map<String, Object> spanish = Api.seriesBody(unique("es"));
        spanish.put("language", "es");
        spanish.put("genres", List.of(genre));
        String spanishId = Api.createPublishedSeries(producer, spanish);
        counter.flush();

        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", 2).queryParam("language", "en");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/rails/genre:" + genre).then().statusCode(200).extract().jsonPath();
            walked.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(walked).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        assertThat(walked).doesNotContain(spanishId);

        JsonPath home = given().queryParam("language", "en").get("/api/v1/rails").then().statusCode(200)
                .extract().jsonPath();
        assertThat(home.getList("rails.id", String.class)).contains("trending", "new");
        given().get("/api/v1/rails/nonsense").then().statusCode(404);
    }

    @Test
    void the_new_rail_holds_every_language_the_viewer_asks_for_by_primary_subtag() {
        String first = "q" + UUID.randomUUID().toString().replaceAll("[^a-z]", "").substring(0, 2);
        String second = "r" + UUID.randomUUID().toString().replaceAll("[^a-z]", "").substring(0, 2);
        String other = "s" + UUID.randomUUID().toString().replaceAll("[^a-z]", "").substring(0, 2);
        String inFirst = languageSeries(first);
        String inSecondRegion = languageSeries(second + "-BR");
        String elsewhere = languageSeries(other);

        List<String> rail = given().queryParam("language", first).queryParam("language", second)
                .queryParam("limit", 50).get("/api/v1/rails/new").then().statusCode(200)
                .extract().jsonPath().getList("items.id");
        assertThat(rail).as("newest first, both languages, nothing else").containsExactly(inSecondRegion, inFirst);
        List<String> home = given().queryParam("language", second).queryParam("language", first).get("/api/v1/rails")
                .then().statusCode(200).extract().jsonPath().getList("rails.find { it.id == 'new' }.items.id");
        assertThat(home).containsExactly(inSecondRegion, inFirst).doesNotContain(elsewhere);
        given().queryParam("language", List.of("aa", "ab", "ac", "ad", "ae", "af", "ag", "ah", "ai", "aj", "ak"))
                .get("/api/v1/rails/new").then().statusCode(400);
    }

    private String languageSeries(String language) {
        Map<String, Object> body = Api.seriesBody(unique("lang"));
        body.put("language", language);
        return Api.createPublishedSeries(producer, body);
    }

    @Test
    void more_like_what_you_watched_is_trending_in_the_watched_genres_without_the_watched_series() {
        String genre = unique("like");
        Api.PlayableSeries watching = series(genre);
        Api.PlayableSeries similar = series(genre);
        Api.PlayableSeries elsewhere = series(unique("other"));
        play(viewer(), similar.episodes().get(0));
        play(viewer(), elsewhere.episodes().get(0));
        counter.flush();
        String me = viewer();
        as(me).body(Map.of("positionSeconds", 10)).put("/api/v1/me/progress/" + watching.episodes().get(0))
                .then().statusCode(200);

        List<String> more = as(me).get("/api/v1/rails/more-like-watched").then().statusCode(200)
                .extract().jsonPath().getList("items.id");
        assertThat(more).contains(similar.id()).doesNotContain(watching.id(), elsewhere.id());
        assertThat(given().get("/api/v1/rails/more-like-watched").then().statusCode(200)
                .extract().jsonPath().getList("items", Object.class)).isEmpty();
    }

    @Test
    void a_feed_ticket_counts_its_play_when_the_master_playlist_is_opened_and_a_start_plus_playlist_is_one_play() {
        Api.PlayableSeries s = series(unique("ticket"));
        String language = "q" + UUID.randomUUID().toString().replaceAll("[^a-z]", "").substring(0, 2);
        sql(db, "update series set language = ? where id = ?", language, UUID.fromString(s.id()));
        String fromFeed = viewer();
        String masterUrl = as(fromFeed).queryParam("language", language).get("/api/v1/feed").then().statusCode(200)
                .extract().path("items[0].playback.masterUrl");
        counter.flush();
        assertThat(trendLog(s.id())).as("handing out a URL is not a play").isEqualTo(Double.NEGATIVE_INFINITY);

        given().get(masterUrl);
        String started = viewer();
        play(started, s.episodes().get(0));
        given().get(as(started).get("/api/v1/episodes/" + s.episodes().get(0) + "/playback").path("masterUrl").toString());
        counter.flush();
        assertThat(Db.rows(db, "select viewer_id from trend_count where episode_id = ?", UUID.fromString(s.episodes().get(0))))
                .extracting(r -> r.get("viewer_id")).containsExactlyInAnyOrder(subject(fromFeed), subject(started));
    }

    private Api.PlayableSeries series(String genre) {
        Api.PlayableSeries s = playableSeries(db, producer, "trend", 3, 10, 2);
        sql(db, "update series set genres = ?::varchar[] where id = ?", "{" + genre + "}", UUID.fromString(s.id()));
        return s;
    }

    private List<String> railIds(String rail) {
        return given().queryParam("limit", 50).get("/api/v1/rails/" + rail).then().statusCode(200)
                .extract().jsonPath().getList("items.id");
    }

    private double trendLog(String seriesId) {
        return (Double) Db.row(db, "select trend_log from series where id = ?", UUID.fromString(seriesId)).get("trend_log");
    }

    private static String viewer() {
        return Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
    }

    /** The subject inside a token minted by {@link #viewer()}. */
    private static String subject(String token) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return io.restassured.path.json.JsonPath.from(payload).getString("sub");
    }

    private static void play(String viewer, String episodeId) {
        as(viewer).get("/api/v1/episodes/" + episodeId + "/playback").then().statusCode(200);
    }

    private static void complete(String viewer, String episodeId) {
        as(viewer).body(Map.of("positionSeconds", 90)).put("/api/v1/me/progress/" + episodeId).then().statusCode(200);
    }
}

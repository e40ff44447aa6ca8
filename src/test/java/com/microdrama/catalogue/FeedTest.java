package com.microdrama.catalogue;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.playableSeries;
import static com.microdrama.support.Api.sql;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

import com.microdrama.catalogue.export.PopularityCounter;
import com.microdrama.core.auth.Roles;
import com.microdrama.support.Api;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FeedTest {

    @Inject
    AgroalDataSource db;

    @Inject
    PopularityCounter counter;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String viewerId = Tokens.newSubject(Roles.VIEWER);
    private final String viewer = Tokens.of(Roles.VIEWER, viewerId);
    /** A language only this test's series speak, so that trending holds just them (one of 17,576 three-letter
     *  codes; two letters gave the four tests of a run a ~1 % chance of sharing one). */
    private final String language = ThreadLocalRandom.current().ints(3, 'a', 'z' + 1)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();

    @Test
    void watching_first_then_trending_in_my_language_without_what_i_finished_each_with_a_ready_playback_block() {
        Api.PlayableSeries watching = series(3, 2, 0);
        Api.PlayableSeries finished = series(3, 1, 5);
        Api.PlayableSeries hot = series(3, 2, 3);
        Api.PlayableSeries warm = series(3, 2, 1);
        as(viewer).body(Map.of("positionSeconds", 42)).put("/api/v1/me/progress/" + watching.episodes().get(1))
                .then().statusCode(200);
        as(viewer).body(Map.of("positionSeconds", 90)).put("/api/v1/me/progress/" + finished.episodes().get(0))
                .then().statusCode(200);

        List<Map<String, Object>> items = walk(as(viewer).queryParam("language", language), 1);
        assertThat(items).extracting(i -> seriesOf(i)).containsExactly(watching.id(), hot.id(), warm.id());
        assertThat(items).extracting(i -> i.get("reason")).containsExactly("continue-watching", "trending", "trending");

        JsonPath first = as(viewer).queryParam("language", language).get("/api/v1/feed").then().statusCode(200)
                .header("Cache-Control", org.hamcrest.Matchers.containsString("private")).extract().jsonPath();
        assertThat(first.getString("items[0].episode.id")).isEqualTo(watching.episodes().get(1));
        assertThat(first.getDouble("items[0].episode.resumeAtSeconds")).isEqualTo(42.0);
        assertThat(first.getString("items[0].access")).isEqualTo("free");
        String version = versionOf(watching.episodes().get(1));
        assertThat(first.getString("items[0].playback.masterUrl"))
                .startsWith("/api/v1/playback/" + version + "/master.m3u8?token=");
        assertThat(Instant.parse(first.getString("items[0].playback.expiresAt"))).isAfter(Instant.now());
        assertThat(first.getString("items[0].series.title")).isNotBlank();
        assertThat(first.getString("items[0].episode.posterUrl")).endsWith("/poster");
    }

    @Test
    void a_locked_episode_says_what_unlocks_it_and_opens_once_unlocked() {
        Api.PlayableSeries paid = series(0, 1, 1);
        JsonPath locked = as(viewer).queryParam("language", language).get("/api/v1/feed").then().statusCode(200)
                .extract().jsonPath();
        assertThat(locked.getString("items[0].access")).isEqualTo("locked");
        assertThat(locked.getString("items[0].playback")).isNull();
        assertThat(locked.getInt("items[0].unlock.price")).isEqualTo(30);
        String unlockUrl = locked.getString("items[0].unlock.unlockUrl");
        assertThat(unlockUrl).isEqualTo("/api/v1/episodes/" + paid.episodes().get(0) + "/unlock");

        as(Tokens.of(Roles.PAYMENT_SERVICE, "store")).body(Map.of("viewerId", viewerId, "purchaseId",
                Api.unique("GPA"), "pack", "coins-100")).post("/api/v1/payments/topups").then().statusCode(200);
        as(viewer).header("Idempotency-Key", Api.unique("k")).post(unlockUrl).then().statusCode(200);
        JsonPath open = as(viewer).queryParam("language", language).get("/api/v1/feed").then().statusCode(200)
                .extract().jsonPath();
        assertThat(open.getString("items[0].access")).isEqualTo("unlocked");
        assertThat(open.getString("items[0].playback.masterUrl")).contains("token=");
    }

    @Test
    void the_next_episode_joins_continue_watching_at_its_release_instant_while_the_series_is_held_in_memory()
            throws InterruptedException {
        Api.PlayableSeries s = series(3, 2, 0);
        Instant release = Instant.now().plusMillis(2500);
        sql(db, "update episode set release_at = ? where id = ?", java.sql.Timestamp.from(release),
                UUID.fromString(s.episodes().get(1)));
        as(viewer).body(Map.of("positionSeconds", 90)).put("/api/v1/me/progress/" + s.episodes().get(0))
                .then().statusCode(200);

        List<Object> before = as(viewer).queryParam("language", language).get("/api/v1/feed").then().statusCode(200)
                .extract().jsonPath().getList("items.series.id");
        assertThat(before).as("seen to the end as far as released: left out").doesNotContain(s.id());

        Thread.sleep(Math.max(0, release.toEpochMilli() - System.currentTimeMillis()) + 200);
        JsonPath after = as(viewer).queryParam("language", language).get("/api/v1/feed").then().statusCode(200)
                .extract().jsonPath();
        assertThat(after.getString("items[0].series.id")).isEqualTo(s.id());
        assertThat(after.getString("items[0].reason")).isEqualTo("continue-watching");
        assertThat(after.getString("items[0].episode.id")).isEqualTo(s.episodes().get(1));
    }

    @Test
    void anonymous_callers_get_trending_by_accept_language_and_are_asked_to_sign_in() {
        Api.PlayableSeries s = series(3, 1, 1);
        JsonPath page = given().header("Accept-Language", language + ";q=0.9, zz;q=0.1").get("/api/v1/feed")
                .then().statusCode(200).header("Cache-Control", org.hamcrest.Matchers.containsString("max-age=30"))
                .header("Vary", org.hamcrest.Matchers.containsString("Accept-Language"))
                .extract().jsonPath();
        assertThat(page.getList("items.series.id")).containsExactly(s.id());
        assertThat(page.getString("items[0].access")).isEqualTo("sign-in");
        assertThat(page.getString("items[0].playback")).isNull();
        given().queryParam("cursor", "bm9wZQ").get("/api/v1/feed").then().statusCode(400)
                .body("errors.field", hasItem("cursor"));
    }

    /** A published series in this test's language, with {@code plays} distinct viewers' plays counted. */
    private Api.PlayableSeries series(int free, int episodes, int plays) {
        Api.PlayableSeries s = playableSeries(db, producer, "feed", free, 30, episodes);
        sql(db, "update series set language = ? where id = ?", language, UUID.fromString(s.id()));
        for (int i = 0; i < plays; i++) {
            counter.counted(Tokens.newSubject(Roles.VIEWER), UUID.fromString(s.episodes().get(0)), "play", Instant.now());
        }
        counter.flush();
        return s;
    }

    private List<Map<String, Object>> walk(RequestSpecification base, int limit) {
        List<Map<String, Object>> items = new ArrayList<>();
        String cursor = null;
        do {
            RequestSpecification request = base.queryParam("limit", limit);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/feed").then().statusCode(200).extract().jsonPath();
            items.addAll(page.getList("items"));
            cursor = page.getString("nextCursor");
            base = as(viewer).queryParam("language", language);
        } while (cursor != null);
        return items;
    }

    @SuppressWarnings("unchecked")
    private static String seriesOf(Map<String, Object> item) {
        return (String) ((Map<String, Object>) item.get("series")).get("id");
    }

    private String versionOf(String episodeId) {
        return String.valueOf(com.microdrama.support.Db.row(db, "select current_version_id from episode where id = ?",
                UUID.fromString(episodeId)).get("current_version_id"));
    }
}

package com.microdrama.catalogue;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createPlayableEpisode;
import static com.microdrama.support.Api.createPublishedSeries;
import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.sql;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SeriesCatalogueTest {

    @Inject
    AgroalDataSource db;

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Test
    void walking_all_pages_returns_every_published_series_exactly_once_and_no_draft() {
        String genre = unique("walk");
        Set<String> published = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            Map<String, Object> body = seriesBody(unique("walk"));
            body.put("genres", List.of(genre));
            published.add(createPublishedSeries(producer, body));
        }
        Set<String> drafts = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            Map<String, Object> body = seriesBody(unique("draft"));
            body.put("genres", List.of(genre));
            drafts.add(createSeries(producer, body));
        }
        // Equal popularity everywhere: the id must break the ties for pages to stay stable.
        for (String id : published) {
            sql(db, "update series set popularity = 5 where id = ?", UUID.fromString(id));
        }

        for (String sort : List.of("new", "popular")) {
            List<String> seen = walk(genre, sort, 3);
            assertThat(seen).as("sort=" + sort).hasSize(published.size()).doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).isEqualTo(published).doesNotContainAnyElementsOf(drafts);
        }
    }

    @Test
    void newest_first_and_most_popular_first() {
        String genre = unique("order");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> body = seriesBody(unique("order"));
            body.put("genres", List.of(genre));
            ids.add(createPublishedSeries(producer, body));
        }
        sql(db, "update series set popularity = 100 where id = ?", UUID.fromString(ids.get(0)));
        sql(db, "update series set popularity = 50 where id = ?", UUID.fromString(ids.get(2)));

        assertThat(walk(genre, "new", 10)).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(walk(genre, "popular", 10)).containsExactly(ids.get(0), ids.get(2), ids.get(1));
    }

    @Test
    void filters_by_genre_tag_and_language() {
        String genre = unique("genre");
        String tag = unique("tag");
        Map<String, Object> english = seriesBody(unique("en"));
        english.put("genres", List.of(genre.toUpperCase()));
        english.put("tags", List.of(tag));
        String englishId = createPublishedSeries(producer, english);
        Map<String, Object> spanish = seriesBody(unique("es"));
        spanish.put("genres", List.of(genre));
        spanish.put("language", "es");
        String spanishId = createPublishedSeries(producer, spanish);

        given().queryParam("genre", genre).get("/api/v1/series").then().statusCode(200)
                .body("items", hasSize(2));
        given().queryParam("tag", tag).get("/api/v1/series").then().statusCode(200)
                .body("items.id", equalTo(List.of(englishId)));
        given().queryParam("genre", genre).queryParam("language", "es").get("/api/v1/series").then()
                .statusCode(200).body("items.id", equalTo(List.of(spanishId)));
    }

    @Test
    void bad_query_parameters_are_refused_with_the_field_named() {
        for (String limit : List.of("0", "51", "abc")) {
            given().queryParam("limit", limit).get("/api/v1/series").then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem("limit"));
        }
        given().queryParam("sort", "cheapest").get("/api/v1/series").then()
                .statusCode(400).body("errors.field", hasItem("sort"))
                .body("detail", containsString("'new' or 'popular'"));
        given().queryParam("cursor", "not-a-cursor").get("/api/v1/series").then()
                .statusCode(400).body("errors.field", hasItem("cursor"));
        given().queryParam("language", "English!").get("/api/v1/series").then()
                .statusCode(400).body("errors.field", hasItem("language"));
    }

    @Test
    void detail_by_id_or_slug_with_counts_and_price() {
        String slug = unique("detail");
        String id = createPublishedSeries(producer, seriesBody(slug));
        createPlayableEpisode(db, producer, id, 1);
        createPlayableEpisode(db, producer, id, 2);
        // Created but unpublished: not counted.
        as(producer).body(Map.of("number", 3)).post("/api/v1/producer/series/" + id + "/episodes").then().statusCode(201);

        for (String key : List.of(id, slug)) {
            given().get("/api/v1/series/" + key).then().statusCode(200)
                    .body("id", equalTo(id)).body("slug", equalTo(slug))
                    .body("episodeCount", equalTo(2)).body("freeEpisodeCount", equalTo(2))
                    .body("coinPrice", equalTo(30)).body("status", equalTo("published"));
        }
    }

    @Test
    void unknown_and_draft_series_are_not_found() {
        String draft = createSeries(producer, seriesBody(unique("hidden")));
        for (String key : List.of(UUID.randomUUID().toString(), "no-such-series", draft)) {
            given().get("/api/v1/series/" + key).then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("status", equalTo(404)).body("title", equalTo("Not found"))
                    .body("detail", containsString(key));
            given().get("/api/v1/series/" + key + "/episodes").then().statusCode(404)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void episodes_in_order_with_free_and_locked_state() {
        String id = createPublishedSeries(producer, seriesBody(unique("eps")));
        createPlayableEpisode(db, producer, id, 3);
        createPlayableEpisode(db, producer, id, 1);
        createPlayableEpisode(db, producer, id, 2);
        as(producer).body(Map.of("priceOverride", 55)).patch("/api/v1/producer/series/" + id + "/episodes/3")
                .then().statusCode(200);
        // Published but never transcoded: not playable, so not listed.
        as(producer).body(Map.of("number", 4)).post("/api/v1/producer/series/" + id + "/episodes").then().statusCode(201);
        as(producer).post("/api/v1/producer/series/" + id + "/episodes/4/publish").then().statusCode(200);

        JsonPath episodes = given().get("/api/v1/series/" + id + "/episodes").then().statusCode(200)
                .extract().jsonPath();
        assertThat(episodes.getList("number", Integer.class)).containsExactly(1, 2, 3);
        assertThat(episodes.getList("lock", String.class)).containsExactly("free", "free", "locked");
        assertThat(episodes.getList("price", Integer.class)).containsExactly(0, 0, 55);
        assertThat(episodes.getList("durationSeconds", Double.class)).containsOnly(90.0);
        assertThat(episodes.getString("[0].title")).isEqualTo("Episode 1");
    }

    @Test
    void catalogue_answers_carry_etag_and_cache_control_and_honour_if_none_match() {
        String id = createPublishedSeries(producer, seriesBody(unique("etag")));
        var first = given().get("/api/v1/series/" + id).then().statusCode(200)
                .header("ETag", notNullValue())
                .header("Cache-Control", containsString("max-age=30"))
                .extract();
        String etag = first.header("ETag");

        given().header("If-None-Match", etag).get("/api/v1/series/" + id).then()
                .statusCode(304).header("ETag", equalTo(etag));

        as(producer).body(Map.of("title", "A new title")).patch("/api/v1/producer/series/" + id).then().statusCode(200);
        given().header("If-None-Match", etag).get("/api/v1/series/" + id).then()
                .statusCode(200).body("title", equalTo("A new title"));

        String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        given().header("Authorization", Tokens.bearer(viewer)).get("/api/v1/series/" + id + "/episodes").then()
                .statusCode(200)
                .header("Cache-Control", containsString("private"))
                .header("Vary", containsString("Authorization"));
    }

    @Test
    void a_bad_token_on_the_open_catalogue_is_still_refused() {
        given().header("Authorization", "Bearer not.a.token").get("/api/v1/series").then()
                .statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
    }

    private List<String> walk(String genre, String sort, int limit) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("genre", genre).queryParam("sort", sort).queryParam("limit", limit);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/series").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("items.id", String.class);
            assertThat(ids.size()).isLessThanOrEqualTo(limit);
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
            assertThat(++pages).as("pages").isLessThan(20);
        } while (cursor != null);
        return seen;
    }
}

package com.microdrama.catalogue;

import static com.microdrama.support.Api.as;
import static com.microdrama.support.Api.createSeries;
import static com.microdrama.support.Api.seriesBody;
import static com.microdrama.support.Api.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.microdrama.core.auth.Roles;
import com.microdrama.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProducerSeriesTest {

    private static final String BASE = "/api/v1/producer/series";

    private final String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
    private final String otherProducer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));

    @Test
    void creates_a_draft_series() {
        String slug = unique("create");
        var body = seriesBody(slug);
        body.put("genres", List.of("Romance", "romance ", "Revenge"));
        as(producer).body(body).post(BASE).then()
                .statusCode(201)
                .header("Location", containsString(BASE + "/"))
                .body("id", notNullValue())
                .body("slug", equalTo(slug))
                .body("status", equalTo("draft"))
                .body("genres", equalTo(List.of("romance", "revenge")))
                .body("publishedAt", nullValue());
    }

    @Test
    void invalid_fields_are_named() {
        var body = seriesBody("Not A Slug");
        body.put("title", " ");
        body.put("language", "english");
        body.put("coinPrice", -1);
        as(producer).body(body).post(BASE).then()
                .statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Invalid request"))
                .body("errors.field", hasItems("slug", "title", "language", "coinPrice"));

        var missing = seriesBody(unique("x"));
        missing.remove("title");
        as(producer).body(missing).post(BASE).then()
                .statusCode(400).body("errors.field", equalTo(List.of("title")))
                .body("detail", equalTo("title: is required"));
    }

    @Test
    void malformed_or_mistyped_json_is_a_400_not_a_500() {
        as(producer).body("{\"slug\": \"abc\", ").post(BASE).then()
                .statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Malformed JSON"));
        as(producer).body("{\"slug\": \"abc\", \"coinPrice\": \"lots\"}").post(BASE).then()
                .statusCode(400).body("errors.field", equalTo(List.of("coinPrice")));
        as(producer).body("").post(BASE).then()
                .statusCode(400).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer(producer)).contentType(ContentType.TEXT).body("hello")
                .post(BASE).then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void duplicate_slug_is_a_conflict() {
        String slug = unique("dup");
        createSeries(producer, seriesBody(slug));
        as(otherProducer).body(seriesBody(slug)).post(BASE).then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString(slug));
    }

    @Test
    void missing_wrong_or_expired_tokens_are_401_and_wrong_role_is_403() {
        given().contentType(ContentType.JSON).body(seriesBody(unique("anon"))).post(BASE).then()
                .statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer abc.def.ghi").get(BASE).then()
                .statusCode(401).contentType("application/problem+json");
        given().header("Authorization", Tokens.bearer(Tokens.expired(Roles.PRODUCER, "p-expired"))).get(BASE).then()
                .statusCode(401).body("detail", containsString("invalid or expired"));
        for (String role : List.of(Roles.VIEWER, Roles.OPERATOR)) {
            as(Tokens.of(role, Tokens.newSubject(role))).body(seriesBody(unique("role"))).post(BASE).then()
                    .statusCode(403).contentType("application/problem+json");
        }
    }

    @Test
    void another_producers_series_is_forbidden_and_unknown_is_404() {
        String id = createSeries(producer, seriesBody(unique("mine")));
        as(otherProducer).get(BASE + "/" + id).then().statusCode(403).contentType("application/problem+json");
        as(otherProducer).body(Map.of("title", "stolen")).patch(BASE + "/" + id).then().statusCode(403);
        as(otherProducer).post(BASE + "/" + id + "/publish").then().statusCode(403);
        as(otherProducer).post(BASE + "/" + id + "/unpublish").then().statusCode(403);
        as(otherProducer).get(BASE + "/" + id + "/episodes").then().statusCode(403);
        as(otherProducer).body(Map.of("number", 1)).post(BASE + "/" + id + "/episodes").then().statusCode(403);
        as(producer).get(BASE + "/" + id).then().statusCode(200).body("title", not(equalTo("stolen")));

        String unknown = UUID.randomUUID().toString();
        as(producer).get(BASE + "/" + unknown).then().statusCode(404).body("detail", containsString(unknown));
        as(producer).body(Map.of("title", "x")).patch(BASE + "/" + unknown).then().statusCode(404);
        as(producer).get(BASE + "/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void updates_only_the_fields_sent() {
        String id = createSeries(producer, seriesBody(unique("upd")));
        as(producer).body(Map.of("title", "New title", "freeEpisodeCount", 5)).patch(BASE + "/" + id).then()
                .statusCode(200)
                .body("title", equalTo("New title"))
                .body("freeEpisodeCount", equalTo(5))
                .body("coinPrice", equalTo(30))
                .body("language", equalTo("en"));
        String taken = unique("taken");
        createSeries(otherProducer, seriesBody(taken));
        as(producer).body(Map.of("slug", taken)).patch(BASE + "/" + id).then().statusCode(409);
        as(producer).body(Map.of("freeEpisodeCount", -3)).patch(BASE + "/" + id).then()
                .statusCode(400).body("errors.field", hasItem("freeEpisodeCount"));
    }

    @Test
    void publish_complete_and_unpublish_move_the_series_in_and_out_of_the_catalogue() {
        String slug = unique("pub");
        String id = createSeries(producer, seriesBody(slug));
        as(producer).post(BASE + "/" + id + "/complete").then().statusCode(409);

        as(producer).post(BASE + "/" + id + "/publish").then().statusCode(200)
                .body("status", equalTo("published")).body("publishedAt", notNullValue());
        given().get("/api/v1/series/" + slug).then().statusCode(200);

        as(producer).post(BASE + "/" + id + "/complete").then().statusCode(200).body("status", equalTo("completed"));
        given().get("/api/v1/series/" + slug).then().statusCode(200).body("status", equalTo("completed"));

        as(producer).post(BASE + "/" + id + "/unpublish").then().statusCode(200).body("status", equalTo("draft"));
        given().get("/api/v1/series/" + slug).then().statusCode(404);
    }

    @Test
    void lists_only_my_series_drafts_included_a_page_at_a_time() {
        String me = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(createSeries(me, seriesBody(unique("own"))));
        }
        as(me).post(BASE + "/" + mine.get(0) + "/publish").then().statusCode(200);
        createSeries(otherProducer, seriesBody(unique("theirs")));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = as(me).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get(BASE).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id", String.class));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(mine);
        assertThat(seen.get(seen.size() - 1)).isEqualTo(mine.get(0));
        as(me).queryParam("limit", 101).get(BASE).then().statusCode(400).body("errors.field", hasItem("limit"));
    }

    @Test
    void episodes_are_created_once_per_number_and_edited_by_number() {
        String id = createSeries(producer, seriesBody(unique("epi")));
        String episodes = BASE + "/" + id + "/episodes";
        as(producer).body(Map.of("number", 1, "title", "Pilot", "priceOverride", 10)).post(episodes).then()
                .statusCode(201).header("Location", endsWith("/episodes/1"))
                .body("state", equalTo("awaiting_source")).body("published", equalTo(false));
        as(producer).body(Map.of("number", 1)).post(episodes).then()
                .statusCode(409).body("detail", containsString("episode 1 already exists"));
        as(producer).body(Map.of("number", 0)).post(episodes).then()
                .statusCode(400).body("errors.field", hasItem("number"));
        as(producer).body(Map.of("title", "x")).post(episodes).then()
                .statusCode(400).body("errors.field", hasItem("number"));

        as(producer).body(Map.of("clearPriceOverride", true, "title", "The pilot")).patch(episodes + "/1").then()
                .statusCode(200).body("title", equalTo("The pilot")).body("priceOverride", nullValue());
        as(producer).body(Map.of("number", 2)).patch(episodes + "/1").then().statusCode(400);
        as(producer).body(Map.of("title", "x")).patch(episodes + "/9").then().statusCode(404);
        as(producer).post(episodes + "/1/publish").then().statusCode(200).body("published", equalTo(true));
        as(producer).get(episodes).then().statusCode(200).body("number", equalTo(List.of(1)));
    }
}

package com.microdrama.core;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Web players call the API, the playlists and the key from their own origin (the test profile allows loopback
 * origins on any port, as a developer's page server would use; production allows only CORS_ORIGINS).
 */
@QuarkusTest
class CorsTest {

    private static final String PLAYER = "http://127.0.0.1:5173";
    private static final String STRANGER = "https://evil.example";

    @Test
    void a_preflight_for_an_unlock_allows_the_bearer_token_and_the_idempotency_key() {
        Response preflight = given().header("Origin", PLAYER)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,idempotency-key")
                .options("/api/v1/episodes/" + UUID.randomUUID() + "/unlock");
        preflight.then().statusCode(200).header("Access-Control-Allow-Origin", PLAYER);
        assertThat(listed(preflight, "Access-Control-Allow-Methods")).contains("post");
        assertThat(listed(preflight, "Access-Control-Allow-Headers")).contains("authorization", "idempotency-key");
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNotEqualTo("true");
    }

    @Test
    void api_answers_name_the_player_and_expose_what_it_reads() {
        Response answer = given().header("Origin", PLAYER).get("/api/v1/series");
        answer.then().statusCode(200).header("Access-Control-Allow-Origin", PLAYER);
        assertThat(listed(answer, "Access-Control-Expose-Headers")).contains("etag", "retry-after", "www-authenticate");
    }

    @Test
    void playlist_and_key_routes_answer_cross_origin_even_when_they_refuse() {
        // Plain Vert.x routes ordered before Quarkus' auth handlers: the CORS filter still runs first, so a player
        // can read the problem document of a refusal instead of an opaque network error.
        String version = UUID.randomUUID().toString();
        for (String path : new String[] {"/api/v1/playback/" + version + "/master.m3u8",
                "/api/v1/playback/" + version + "/360p/index.m3u8", "/api/v1/playback/keys/" + version}) {
            given().header("Origin", PLAYER).queryParam("token", "not-a-token").get(path)
                    .then().statusCode(equalTo(403)).contentType("application/problem+json")
                    .header("Access-Control-Allow-Origin", PLAYER);
        }
    }

    @Test
    void other_origins_get_no_cors_grant() {
        // Quarkus refuses a request from an origin it does not allow outright (403), so nothing leaks to it.
        given().header("Origin", STRANGER).get("/api/v1/series")
                .then().statusCode(403).header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", STRANGER).header("Access-Control-Request-Method", "POST")
                .options("/api/v1/episodes/" + UUID.randomUUID() + "/unlock")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void the_reference_player_is_served_at_the_root_with_its_pinned_hls_js() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .body(containsString("vendor/hls.js-1.7.4/hls.min.js"));
        given().get("/vendor/hls.js-1.7.4/hls.min.js").then().statusCode(200).body(containsString("Hls"));
        given().get("/vendor/hls.js-1.7.4/LICENSE").then().statusCode(200).body(containsString("Apache License"));
    }

    private static java.util.List<String> listed(Response response, String header) {
        String value = response.header(header);
        assertThat(value).as(header).isNotNull();
        return Arrays.stream(value.split(",")).map(String::strip).map(String::toLowerCase).toList();
    }
}

package com.microdrama.support;

import static io.restassured.RestAssured.given;

import io.agroal.api.AgroalDataSource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Test helpers that act through the public API as a producer or a viewer would. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static Map<String, Object> seriesBody(String slug) {
        Map<String, Object> body = new HashMap<>();
        body.put("slug", slug);
        body.put("title", "Title of " + slug);
        body.put("synopsis", "A synopsis");
        body.put("language", "en");
        body.put("genres", java.util.List.of("romance"));
        body.put("tags", java.util.List.of("ceo"));
        body.put("freeEpisodeCount", 2);
        body.put("coinPrice", 30);
        return body;
    }

    public static String createSeries(String producerToken, Map<String, Object> body) {
        return as(producerToken).body(body).post("/api/v1/producer/series")
                .then().statusCode(201).extract().path("id");
    }

    public static String createPublishedSeries(String producerToken, Map<String, Object> body) {
        String id = createSeries(producerToken, body);
        as(producerToken).post("/api/v1/producer/series/" + id + "/publish").then().statusCode(200);
        return id;
    }

    /** A published series with playable episodes numbered 1..n: its id and its episode ids in order. */
    public record PlayableSeries(String id, List<String> episodes) {
    }

    public static PlayableSeries playableSeries(AgroalDataSource db, String producerToken, String slugPrefix,
                                                int freeEpisodes, int coinPrice, int episodes) {
        Map<String, Object> body = seriesBody(unique(slugPrefix));
        body.put("freeEpisodeCount", freeEpisodes);
        body.put("coinPrice", coinPrice);
        String series = createPublishedSeries(producerToken, body);
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= episodes; n++) {
            ids.add(createPlayableEpisode(db, producerToken, series, n));
        }
        return new PlayableSeries(series, ids);
    }

    /** An episode that viewers can see: created, published, and given a ready version. */
    public static String createPlayableEpisode(AgroalDataSource db, String producerToken, String seriesId, int number) {
        String episodeId = as(producerToken).body(Map.of("number", number, "title", "Episode " + number))
                .post("/api/v1/producer/series/" + seriesId + "/episodes")
                .then().statusCode(201).extract().path("id");
        as(producerToken).post("/api/v1/producer/series/" + seriesId + "/episodes/" + number + "/publish")
                .then().statusCode(200);
        markReady(db, UUID.fromString(episodeId));
        return episodeId;
    }

    /** Stands in for the transcode pipeline: a ready version row, as the worker would leave it. */
    public static void markReady(AgroalDataSource db, UUID episodeId) {
        UUID version = UUID.randomUUID();
        sql(db, """
                insert into episode_version (id, episode_id, version_number, source_key, source_size, state,
                    hls_prefix, encryption_key, duration_ms, ready_at)
                values (?, ?, 1, 'raw/test', 1, 'ready', 'hls/test/', decode('00112233445566778899aabbccddeeff', 'hex'), 90000, now())
                """, version, episodeId);
        sql(db, "update episode set current_version_id = ?, state = 'ready', duration_ms = 90000 where id = ?",
                version, episodeId);
    }

    public static void sql(AgroalDataSource db, String statement, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

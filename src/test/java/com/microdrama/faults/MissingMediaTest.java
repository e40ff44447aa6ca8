package com.microdrama.faults;

import static com.microdrama.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.Db;
import com.microdrama.support.Metrics;
import com.microdrama.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The database and the store out of step: a version the database calls ready whose objects are gone (deleted, or
 * a fresh local store beside an old database). The viewer gets a problem+json that does not blame the request;
 * operators see it counted, and listed in their job view (API and dashboard) until the media is back.
 */
@QuarkusTest
class MissingMediaTest {

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;

    @Test
    void a_ready_version_without_its_objects_answers_503_and_is_reported_to_operators_until_it_is_back()
            throws Exception {
        String producer = Tokens.of(Roles.PRODUCER, Tokens.newSubject(Roles.PRODUCER));
        // Ready in the database only: no object was ever written for it.
        Api.PlayableSeries series = Api.playableSeries(db, producer, "nomedia", 1, 10, 1);
        UUID episodeId = UUID.fromString(series.episodes().get(0));
        UUID versionId = (UUID) Db.row(db, "select id from episode_version where episode_id = ?", episodeId).get("id");
        UUID jobId = UUID.randomUUID();
        Api.sql(db, "insert into transcode_job (id, version_id, state, attempts, finished_at) "
                + "values (?, ?, 'succeeded', 1, now())", jobId, versionId);
        String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        String master = as(viewer).get("/api/v1/episodes/" + episodeId + "/playback").then()
                .statusCode(200).extract().path("masterUrl");
        double before = Metrics.value("playback_media_missing_total");

        for (int play = 0; play < 2; play++) {
            RestAssured.given().get(master).then().statusCode(503)
                    .contentType(startsWith("application/problem+json"))
                    .body("title", equalTo("Episode unavailable"))
                    .body("detail", containsString("on our side"))
                    .body("detail", not(containsString("hls/")));
        }
        assertThat(Metrics.value("playback_media_missing_total") - before).isEqualTo(2);

        String operator = Tokens.of(Roles.OPERATOR, "ops-missing-media");
        Map<String, Object> listed = reported(operator, versionId);
        assertThat(listed).as("listed for operators").isNotNull()
                .containsEntry("seriesId", series.id()).containsEntry("episodeId", episodeId.toString())
                .containsEntry("episodeNumber", 1).containsEntry("versionNumber", 1).containsEntry("hits", 2);
        JsonPath job = as(operator).get("/api/v1/admin/jobs/" + jobId).then().statusCode(200).extract().jsonPath();
        assertThat(job.getInt("mediaMissing.hits")).as("the job view says so").isEqualTo(2);
        assertThat(job.getString("mediaMissing.firstSeenAt")).isNotNull();
        as(viewer).get("/api/v1/admin/missing-media").then().statusCode(403);

        // The objects come back (restored, or uploaded again): the master plays and the report clears.
        storage.put("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=360x640\n360p/index.m3u8\n"
                .getBytes(StandardCharsets.UTF_8), "hls/" + episodeId + "/" + versionId + "/master.m3u8",
                "application/vnd.apple.mpegurl");
        RestAssured.given().get(master).then().statusCode(200);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (reported(operator, versionId) != null) {
            assertThat(System.nanoTime()).as("the report cleared within 5 s").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(as(operator).get("/api/v1/admin/jobs/" + jobId).then().statusCode(200).extract().jsonPath()
                .getMap("mediaMissing")).isNull();
    }

    private static Map<String, Object> reported(String operator, UUID versionId) {
        List<Map<String, Object>> items = as(operator).get("/api/v1/admin/missing-media").then().statusCode(200)
                .extract().jsonPath().getList("$");
        return items.stream().filter(item -> versionId.toString().equals(item.get("versionId"))).findFirst()
                .orElse(null);
    }
}

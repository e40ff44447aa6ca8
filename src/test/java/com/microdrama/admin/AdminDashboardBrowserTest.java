package com.microdrama.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.BrowserScript;
import com.microdrama.support.Db;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import com.microdrama.transcode.TranscodeFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The operators' dashboard in a real browser (Debian's chromium driven by playwright-core, see
 * src/test/browser/dashboard.mjs) against this very app: real API, real live events, real workers and ffmpeg.
 */
@QuarkusTest
class AdminDashboardBrowserTest {

    private static final long NODE_TIMEOUT_MINUTES = 3;
    private static final String FAILURE = "ffmpeg exited with code 1: the source cannot be transcoded";
    // The log tail is attacker-influenced (it echoes the uploaded file): the page must show it as text.
    private static final String LOG_TAIL = """
            [mov,mp4,m4a,3gp,3g2,mj2 @ 0x5581c0] moov atom not found
            <img src=x onerror="document.title='pwned'"><script>alert(1)</script>
            Conversion failed!""";

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @TestHTTPResource("/")
    URL base;

    @Test
    void an_operator_watches_an_upload_finish_live_and_retries_a_failed_job() throws Exception {
        TranscodeFixtures fixtures = new TranscodeFixtures(db, storage);
        Path tmp = Media.tempDir();
        Map<String, Object> body = Api.seriesBody(Api.unique("dashboard"));
        body.put("title", "The CEO Returns");
        String seriesId = Api.createSeries(fixtures.producerToken(), body);
        TranscodeFixtures.Queued failed = fixtures.queueFailed(Media.clip(tmp, "retry-source.mp4", 360, 640, 2, true),
                FAILURE, LOG_TAIL);
        Path clip = Media.clip(tmp, "dashboard-upload.mp4", 360, 640, 3, true);
        // A ready version storage has no media for, which a viewer asked for: listed on the dashboard.
        Api.PlayableSeries lost = Api.playableSeries(db, fixtures.producerToken(), "dashboard-nomedia", 1, 10, 1);
        String viewer = Tokens.of(Roles.VIEWER, Tokens.newSubject(Roles.VIEWER));
        String master = Api.as(viewer).get("/api/v1/episodes/" + lost.episodes().get(0) + "/playback").then()
                .statusCode(200).extract().path("masterUrl");
        io.restassured.RestAssured.given().get(master).then().statusCode(503);
        Object lostVersion = Db.row(db, "select id from episode_version where episode_id = ?",
                UUID.fromString(lost.episodes().get(0))).get("id");

        for (String old : List.of("dashboard.png", "detail.png", "detail-after-retry.png", "failure.png")) {
            Files.deleteIfExists(BrowserScript.OUT.resolve(old));
        }
        BrowserScript.run("dashboard.mjs", Map.of(
                "BASE_URL", base.toString().replaceAll("/+$", ""),
                "OPERATOR_TOKEN", Tokens.of(Roles.OPERATOR, "ops-dashboard"),
                "PRODUCER_TOKEN", fixtures.producerToken(),
                "SERIES_ID", seriesId,
                "CLIP_PATH", clip.toAbsolutePath().toString(),
                "FAILED_JOB_ID", failed.jobId().toString(),
                "FAILED_JOB_ERROR", "the source cannot be transcoded",
                "FAILED_JOB_LOG", "<img src=x onerror=",
                "MISSING_MEDIA_VERSION_ID", lostVersion.toString()), tmp, NODE_TIMEOUT_MINUTES);

        BrowserScript.assertPng(BrowserScript.OUT.resolve("dashboard.png"), 1440, 900, 20_000);
        BrowserScript.assertPng(BrowserScript.OUT.resolve("detail.png"), 1440, 900, 20_000);

        Map<String, Object> retried = Db.row(db, "select state, attempts from transcode_job where id = ?", failed.jobId());
        assertThat(retried).containsEntry("state", "succeeded").containsEntry("attempts", 2);
        assertThat(Db.rows(db, "select outcome from transcode_attempt where job_id = ? order by attempt", failed.jobId()))
                .extracting(r -> r.get("outcome")).containsExactly("failed", "succeeded");
        List<Map<String, Object>> uploaded = Db.rows(db, """
                select j.state from transcode_job j join episode_version v on v.id = j.version_id
                join episode e on e.id = v.episode_id where e.series_id = ?
                """, UUID.fromString(seriesId));
        assertThat(uploaded).extracting(r -> r.get("state")).containsExactly("succeeded");
    }
}

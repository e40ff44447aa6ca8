package com.microdrama.admin;

import static com.microdrama.support.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import com.microdrama.core.auth.Roles;
import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.Media;
import com.microdrama.support.Tokens;
import com.microdrama.transcode.TranscodeFixtures;
import com.microdrama.transcode.TranscodeWorker;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AdminJobsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String OPERATOR = Tokens.of(Roles.OPERATOR, "ops-1");

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @Inject
    TranscodeWorker workers;
    @TestHTTPResource("/api/v1/admin/jobs/events")
    URL eventsUrl;

    private TranscodeFixtures fixtures;
    private Path tmp;

    @BeforeEach
    void setUp() {
        fixtures = new TranscodeFixtures(db, storage);
        tmp = Media.tempDir();
    }

    @Test
    void only_operators_reach_the_admin_api() {
        for (String path : List.of("/api/v1/admin/jobs", "/api/v1/admin/stats", "/api/v1/admin/jobs/events")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json");
            for (String role : List.of(Roles.VIEWER, Roles.PRODUCER, Roles.PAYMENT_SERVICE)) {
                as(Tokens.of(role, "someone")).get(path).then().statusCode(403)
                        .contentType("application/problem+json");
            }
        }
        UUID any = UUID.randomUUID();
        as(Tokens.of(Roles.PRODUCER, "p")).post("/api/v1/admin/jobs/" + any + "/retry").then().statusCode(403);
        as(Tokens.of(Roles.VIEWER, "v")).post("/api/v1/admin/jobs/" + any + "/cancel").then().statusCode(403);
        as(Tokens.expired(Roles.OPERATOR, "ops-1")).get("/api/v1/admin/jobs").then().statusCode(401);
    }

    @Test
    void bad_filters_are_refused_naming_the_field() {
        Map<String, String> bad = Map.of("state", "stuck", "seriesId", "nope", "episodeId", "12", "from", "yesterday",
                "limit", "0", "cursor", "not-a-cursor");
        bad.forEach((field, value) -> as(OPERATOR).queryParam(field, value).get("/api/v1/admin/jobs").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field)));
        as(OPERATOR).queryParam("from", "2026-02-01T00:00:00Z").queryParam("to", "2026-01-01T00:00:00Z")
                .get("/api/v1/admin/jobs").then().statusCode(400).body("errors.field", hasItem("from"));
        as(OPERATOR).get("/api/v1/admin/jobs/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void jobs_are_listed_newest_first_filtered_and_paged_by_cursor() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        Path clip = Media.vertical();
        List<UUID> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(fixtures.queueNotDue(clip).jobId());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(OPERATOR).queryParam("from", start.toString()).queryParam("state", "queued")
                    .queryParam("limit", 1);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/admin/jobs").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id"));
            assertThat(page.getList("items.state", String.class)).containsOnly("queued");
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(seen).doesNotHaveDuplicates();
        List<String> mineNewestFirst = new ArrayList<>(mine.stream().map(UUID::toString).toList());
        java.util.Collections.reverse(mineNewestFirst);
        assertThat(seen.stream().filter(mineNewestFirst::contains).toList()).isEqualTo(mineNewestFirst);

        TranscodeFixtures.Queued one = fixtures.queueNotDue(clip);
        as(OPERATOR).queryParam("seriesId", one.seriesId().toString()).get("/api/v1/admin/jobs").then()
                .statusCode(200).body("items.size()", equalTo(1)).body("items[0].id", equalTo(one.jobId().toString()))
                .body("items[0].episodeNumber", equalTo(1)).body("items[0].seriesTitle", notNullValue())
                .body("nextCursor", equalTo(null));
        as(OPERATOR).queryParam("episodeId", one.episodeId().toString()).queryParam("state", "failed")
                .get("/api/v1/admin/jobs").then().statusCode(200).body("items.size()", equalTo(0));
        as(OPERATOR).queryParam("to", start.toString()).get("/api/v1/admin/jobs").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.not(hasItem(one.jobId().toString())));
    }

    @Test
    void a_failed_job_shows_why_and_a_retry_after_fixing_the_source_succeeds() throws Exception {
        Path garbage = Media.write("admin-garbage.mp4", "this is not a video".getBytes(StandardCharsets.UTF_8));
        TranscodeFixtures.Queued queued = fixtures.queue(garbage);
        fixtures.awaitJob(queued.jobId(), PATIENCE);
        String jobPath = "/api/v1/admin/jobs/" + queued.jobId();
        as(OPERATOR).get(jobPath).then().statusCode(200)
                .body("state", equalTo("failed"))
                .body("errorMessage", containsString("the source cannot be transcoded"))
                .body("attemptHistory.size()", equalTo(1))
                .body("attemptHistory[0].outcome", equalTo("failed"))
                .body("attemptHistory[0].worker", containsString("#"))
                .body("attemptHistory[0].errorMessage", containsString("cannot be transcoded"))
                .body("source.key", notNullValue());

        as(OPERATOR).post(jobPath + "/cancel").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("already finished"));
        // The producer sees the same failure on their episode.
        as(fixtures.producerToken()).get("/api/v1/producer/series/" + queued.seriesId() + "/episodes").then()
                .statusCode(200).body("[0].job.id", equalTo(queued.jobId().toString()))
                .body("[0].job.state", equalTo("failed"))
                .body("[0].job.errorMessage", containsString("cannot be transcoded"));

        // The operator replaces nothing in the database: the producer's fixed source is put in place, then retry.
        String key = (String) com.microdrama.support.Db.row(db, "select source_key from episode_version where id = ?",
                queued.versionId()).get("source_key");
        storage.upload(Media.clip(tmp, "fixed.mp4", 360, 640, 2, true), key, "video/mp4");
        // What an upload's probe stores (the fixtures skip the upload): shown to the operator as it is.
        Api.sql(db, "update episode_version set probe = '{\"width\": 360, \"height\": 640, \"videoCodec\": \"h264\"}'::jsonb where id = ?",
                queued.versionId());
        as(OPERATOR).post(jobPath + "/retry").then().statusCode(200)
                .body("id", equalTo(queued.jobId().toString()))
                .body("state", org.hamcrest.Matchers.oneOf("queued", "running", "succeeded"))
                .body("errorMessage", equalTo(null));
        Map<String, Object> job = fixtures.awaitJob(queued.jobId(), PATIENCE);
        assertThat(job.get("state")).as("job %s", job).isEqualTo("succeeded");

        as(OPERATOR).get(jobPath).then().statusCode(200)
                .body("state", equalTo("succeeded"))
                .body("progress", equalTo(100))
                .body("attempts", equalTo(2))
                .body("attemptHistory.outcome", equalTo(List.of("failed", "succeeded")))
                .body("attemptHistory[1].encodeSpeed", notNullValue())
                .body("renditions.name", equalTo(List.of("360p")))
                .body("source.probe.width", equalTo(360))
                .body("source.probe.videoCodec", equalTo("h264"));
        as(OPERATOR).post(jobPath + "/retry").then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("only failed or cancelled jobs can be retried"));
        as(fixtures.producerToken()).get("/api/v1/producer/series/" + queued.seriesId() + "/episodes").then()
                .statusCode(200).body("[0].state", equalTo("ready")).body("[0].job.state", equalTo("succeeded"))
                .body("[0].job.progress", equalTo(100));
        as(fixtures.producerToken()).post("/api/v1/producer/series/" + queued.seriesId() + "/episodes/1/publish").then()
                .statusCode(200).body("published", equalTo(true)).body("job.attempts", equalTo(2))
                .body("job.state", equalTo("succeeded"));
    }

    @Test
    void a_queued_job_is_cancelled_at_once_and_can_be_retried() throws Exception {
        TranscodeFixtures.Queued queued = fixtures.queueNotDue(Media.vertical());
        String jobPath = "/api/v1/admin/jobs/" + queued.jobId();
        as(OPERATOR).post(jobPath + "/cancel").then().statusCode(200).body("state", equalTo("cancelled"))
                .body("cancelRequested", equalTo(true));
        as(OPERATOR).post(jobPath + "/cancel").then().statusCode(409);
        as(OPERATOR).post(jobPath + "/retry").then().statusCode(200).body("cancelRequested", equalTo(false));
        assertThat(fixtures.awaitJob(queued.jobId(), PATIENCE).get("state")).isEqualTo("succeeded");
        as(OPERATOR).post("/api/v1/admin/jobs/" + UUID.randomUUID() + "/retry").then().statusCode(404);
    }

    @Test
    void live_events_carry_changes_made_by_any_process() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(eventsUrl.toURI())
                .header("Authorization", "Bearer " + OPERATOR).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = null;
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:") && "job".equals(event)) {
                        events.add(line.substring(5).strip());
                    }
                }
            } catch (Exception closed) {
                // the test closes the stream
            }
        });
        reader.start();
        try {
            Thread.sleep(300);
            // Another process: a row change made straight in the database, not through this app.
            TranscodeFixtures.Queued foreign = fixtures.queueNotDue(Media.vertical());
            Api.sql(db, "update transcode_job set progress = 42 where id = ?", foreign.jobId());
            awaitEvent(events, foreign.jobId(), "\"progress\":42");

            // A real job run by this process's workers: queued, running, progress, done.
            TranscodeFixtures.Queued real = fixtures.queue(Media.clip(tmp, "live.mp4", 360, 640, 2, true));
            awaitEvent(events, real.jobId(), "\"state\":\"succeeded\"");
            List<String> mine = events.stream().filter(e -> e.contains(real.jobId().toString())).toList();
            assertThat(mine).anyMatch(e -> e.contains("\"state\":\"running\""));
            assertThat(mine.get(mine.size() - 1)).contains("\"progress\":100").contains("\"seriesTitle\"");
        } finally {
            response.body().close();
            reader.interrupt();
            reader.join(TimeUnit.SECONDS.toMillis(5));
        }
    }

    @Test
    void stats_show_the_queue_outcomes_and_live_workers() throws Exception {
        TranscodeFixtures.Queued done = fixtures.queue(Media.clip(tmp, "stats.mp4", 360, 640, 2, false));
        fixtures.awaitJob(done.jobId(), PATIENCE);
        fixtures.queueNotDue(Media.vertical());
        JsonPath stats = as(OPERATOR).get("/api/v1/admin/stats").then().statusCode(200).extract().jsonPath();
        assertThat(stats.getMap("queue")).containsKeys("queued", "running", "succeeded", "failed", "cancelled");
        assertThat(stats.getLong("queue.queued")).isPositive();
        assertThat(stats.getDouble("oldestQueuedAgeSeconds")).isGreaterThanOrEqualTo(0);
        assertThat(stats.getLong("lastHour.succeeded")).isPositive();
        assertThat(stats.getDouble("meanEncodeSpeed")).isPositive();
        List<Map<String, Object>> live = stats.getList("workers");
        assertThat(live).extracting(w -> w.get("worker")).containsAll(workers.names());
        assertThat(live).filteredOn(w -> workers.names().contains(w.get("worker")))
                .allMatch(w -> Boolean.TRUE.equals(w.get("alive")));
    }

    @Test
    void metrics_and_health_report_the_pipeline() throws Exception {
        TranscodeFixtures.Queued done = fixtures.queue(Media.clip(tmp, "metrics.mp4", 360, 640, 2, false));
        fixtures.awaitJob(done.jobId(), PATIENCE);
        fixtures.queue(Media.write("metrics-garbage.mp4", new byte[4096]));
        fixtures.queueNotDue(Media.vertical());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String metrics;
        do {
            Thread.sleep(500);
            metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        } while (!(metrics.contains("transcode_job_failures_total{reason=\"media\"}") && queuedGaugeAbove0(metrics))
                && System.nanoTime() < deadline);
        assertThat(metrics).contains("transcode_job_duration_seconds_count{outcome=\"succeeded\"}")
                .contains("transcode_job_failures_total{reason=\"media\"}")
                .contains("transcode_encode_speed_ratio_count")
                .contains("transcode_queue_oldest_age_seconds");
        assertThat(queuedGaugeAbove0(metrics)).as("queued gauge in:\n%s", metrics).isTrue();
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'transcode-workers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'transcode-workers' }.data.workers", equalTo(workers.names().size()));
    }

    private static boolean queuedGaugeAbove0(String metrics) {
        return metrics.lines().anyMatch(l -> l.startsWith("transcode_jobs{state=\"queued\"}") && !l.endsWith(" 0.0"));
    }

    private static void awaitEvent(List<String> events, UUID jobId, String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (events.stream().anyMatch(e -> e.contains(jobId.toString()) && e.contains(fragment))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no event " + fragment + " for job " + jobId + "; events: " + events);
    }
}

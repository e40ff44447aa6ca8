package com.microdrama.transcode;

import com.microdrama.support.Api;
import com.microdrama.support.ContractValidation;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Media;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The same artifact started as a worker only: no public API, health and metrics kept, jobs processed. */
@QuarkusTest
@TestProfile(WorkerOnlyProcessTest.WorkerRole.class)
class WorkerOnlyProcessTest {

    public static class WorkerRole implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("app.role", "worker", "quarkus.flyway.clean-at-start", "false",
                    "transcode.worker.name", "worker-only-" + UUID.randomUUID());
        }
    }

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;

    @Test
    void serves_no_api_but_reports_health_and_runs_jobs() throws Exception {
        // A worker-only process serves no API: its 404 is outside the contract, which describes API processes.
        given().noFiltersOfType(ContractValidation.class).get("/api/v1/series").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("workers only"));
        given().redirects().follow(false).get("/admin").then().statusCode(404);
        given().get("/admin/").then().statusCode(404).contentType("application/problem+json");
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'transcode-workers' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'transcode-workers' }.data.role", equalTo("worker"))
                .body("checks.find { it.name == 'transcode-workers' }.data.workers", equalTo(2));
        given().get("/q/metrics").then().statusCode(200).body(containsString("transcode_jobs{state=\"queued\"}"));

        var fixtures = new TranscodeFixtures(db, storage);
        var queued = fixtures.queueWithoutApi(Media.clip(Media.tempDir(), "src.mp4", 360, 640, 2, false));
        // Earlier test classes leave queued jobs in the shared database (this profile keeps it): go first.
        Api.sql(db, "update transcode_job set priority = 1000 where id = ?", queued.jobId());
        Map<String, Object> job = fixtures.awaitJob(queued.jobId(), Duration.ofSeconds(60));
        assertThat(job.get("state")).isEqualTo("succeeded");
        assertThat(fixtures.row("select worker from transcode_attempt where job_id = ?", queued.jobId()).get("worker"))
                .asString().startsWith("worker-only-");
    }
}

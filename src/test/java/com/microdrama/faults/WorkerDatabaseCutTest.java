package com.microdrama.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.FaultProxies;
import com.microdrama.support.Media;
import com.microdrama.transcode.TranscodeFixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL cut while a worker encodes: the worker cannot heartbeat or publish, waits, and once the database is
 * back the job ends succeeded with one published version: none lost, none published twice.
 */
@QuarkusTest
@TestProfile(WorkerDatabaseCutTest.WithWorker.class)
@WithTestResource(FaultProxies.DatabaseResource.class)
class WorkerDatabaseCutTest {

    public static class WithWorker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.flyway.clean-at-start", "false");
        }
    }

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;

    @AfterEach
    void heal() {
        FaultProxies.database.restore();
    }

    @Test
    void a_job_encoding_through_a_database_cut_is_published_once() throws Exception {
        var fixtures = new TranscodeFixtures(db, storage);
        var queued = fixtures.queue(Media.clip(Media.tempDir(), "cut-encode.mp4", 540, 960, 12, true));
        // Earlier test classes leave queued jobs in the shared database (fault tests upload without workers): go first.
        com.microdrama.support.Api.sql(db, "update transcode_job set priority = 1000 where id = ?", queued.jobId());
        fixtures.awaitJob(queued.jobId(), Duration.ofSeconds(90), "running");

        FaultProxies.database.cut();
        Thread.sleep(8_000);
        FaultProxies.database.restore();

        Map<String, Object> job = fixtures.awaitJob(queued.jobId(), Duration.ofSeconds(180));
        assertThat(job.get("state")).as("job " + job).isEqualTo("succeeded");
        assertThat(count("select count(*) from rendition where version_id = ?", queued.versionId()))
                .as("renditions published once").isEqualTo(
                        count("select count(distinct name) from rendition where version_id = ?", queued.versionId()));
        assertThat(count("select count(*) from transcode_attempt where job_id = ? and outcome = 'succeeded'",
                queued.jobId())).as("one attempt succeeded").isEqualTo(1);
        assertThat(count("select count(*) from episode where id = ? and current_version_id = '"
                + queued.versionId() + "'", queued.episodeId())).as("the episode plays the version").isEqualTo(1);
        System.out.println("WorkerDatabaseCutTest: attempts " + job.get("attempts"));
    }

    /** Straight to PostgreSQL, not through the proxy. */
    private static long count(String sql, UUID id) throws Exception {
        Map<String, String> env = System.getenv();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + env.getOrDefault("DB_HOST", "127.0.0.1")
                + ":" + env.getOrDefault("DB_PORT", "5432") + "/" + env.getOrDefault("TEST_DB_NAME", "microdrama_test"),
                env.getOrDefault("DB_USER", "postgres"), env.getOrDefault("DB_PASSWORD", "postgres"));
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}

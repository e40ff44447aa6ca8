package com.microdrama.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Media;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An encode that runs past its deadline (a multiple of the source's duration) is killed and fails as a media fault
 * with that reason, at once: a source that decodes very slowly cannot hold a worker. The deadline is cut to 1 s
 * here so that an ordinary clip stands in for a pathologically slow one.
 */
@QuarkusTest
@TestProfile(EncodeDeadlineTest.ShortDeadline.class)
class EncodeDeadlineTest {

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("transcode.encode-deadline.factor", "0.01", "transcode.encode-deadline.minimum", "1s",
                    "quarkus.flyway.clean-at-start", "false");
        }
    }

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;

    @Test
    void an_encode_past_its_deadline_is_stopped_and_fails_with_that_reason_without_retries() throws Exception {
        TranscodeFixtures fixtures = new TranscodeFixtures(db, storage);
        // 12 s of 720x1280 makes three rungs: several seconds of encoding even at ultrafast, far past 1 s.
        Path source = Media.clip(Media.tempDir(), "slow.mp4", 720, 1280, 12, true);
        var queued = fixtures.queue(source);
        // Earlier test classes leave queued jobs in the shared database (fault tests upload without workers): go first.
        com.microdrama.support.Api.sql(db, "update transcode_job set priority = 1000 where id = ?", queued.jobId());

        Map<String, Object> job = fixtures.awaitJob(queued.jobId(), Duration.ofSeconds(90));
        assertThat(job.get("state")).as("job: %s", job).isEqualTo("failed");
        assertThat((String) job.get("error_message")).contains("deadline of 1 s");
        assertThat(((Number) job.get("attempts")).intValue()).as("a media fault is not retried").isEqualTo(1);
        assertThat(fixtures.row("select state, failure_reason from episode_version where id = ?", queued.versionId()))
                .containsEntry("state", "failed");
        assertThat(fixtures.row("select state from episode where id = ?", queued.episodeId()))
                .containsEntry("state", "failed");
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("ffmpeg")).orElse(false)).count())
                .as("no ffmpeg outlives its deadline").isZero();
    }
}

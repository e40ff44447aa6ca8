package com.microdrama.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Media;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ladder's settings are configuration: the fixed ladder, a coarser quality sample and rung dropping. */
@QuarkusTest
@TestProfile(FixedLadderConfigTest.FixedWithDropping.class)
class FixedLadderConfigTest {

    public static class FixedWithDropping implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Any rung below the tallest costs more than 1 % of it, so every rung but the tallest is dropped.
            return Map.of("transcode.rate-control", "fixed", "transcode.drop-rung-above-ratio", "0.01",
                    "transcode.quality.sample-every", "1", "transcode.quality.frame-every", "1");
        }
    }

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;

    @Test
    void a_fixed_ladder_publishes_only_the_rungs_kept_with_their_report() throws Exception {
        TranscodeFixtures fixtures = new TranscodeFixtures(db, storage);
        var queued = fixtures.queue(Media.clip(Media.tempDir(), "src.mp4", 540, 960, 4, false));
        assertThat(fixtures.awaitJob(queued.jobId(), Duration.ofSeconds(120)).get("state")).isEqualTo("succeeded");

        assertThat(fixtures.row("select string_agg(name, ',') as names from rendition where version_id = ?",
                queued.versionId())).containsEntry("names", "540p");
        Map<String, Object> report = fixtures.row("""
                select string_agg(rendition_name || ':' || rate_control, ',') as rungs, sum(sampled_frames) as frames
                from rendition_quality where version_id = ?
                """, queued.versionId());
        assertThat(report).containsEntry("rungs", "540p:fixed");
        // Every frame of every segment compared: both 2 s segments, 120 frames.
        assertThat(((Number) report.get("frames")).intValue()).isEqualTo(120);
    }
}

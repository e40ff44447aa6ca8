package com.microdrama.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Api;
import com.microdrama.support.Media;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An operator's cancel that the worker has not seen yet (it only sees it at its next heartbeat) must win over the
 * worker putting the job back in the queue, whether it stops (hand-back) or hits a transient fault (retry later):
 * a queued job with the cancel flag is taken by no worker and refused by a retry, so it would hang for good.
 */
@QuarkusTest
class CancelledJobStopTest {

    private static final String WORKER = "stopping-worker#0";

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @Inject
    JobStore store;

    @Test
    void a_stopping_worker_ends_a_cancelled_job_instead_of_handing_it_back() throws Exception {
        ClaimedJob job = runningAndCancelled();
        assertThat(store.handBack(job)).isFalse();
        assertEndedCancelled(job);
    }

    @Test
    void a_transient_fault_on_a_cancelled_job_ends_it_instead_of_queueing_it_again() throws Exception {
        ClaimedJob job = runningAndCancelled();
        store.retryLater(job, "storage blip", null, Duration.ofSeconds(1));
        assertEndedCancelled(job);
    }

    /** A job this test's worker holds with a long lease (no real worker takes it over), cancel requested. */
    private ClaimedJob runningAndCancelled() throws Exception {
        TranscodeFixtures fixtures = new TranscodeFixtures(db, storage);
        var queued = fixtures.queueNotDue(Media.clip(Media.tempDir(), "c.mp4", 180, 320, 1, false));
        Api.sql(db, """
                update transcode_job set state = 'running', attempts = 1, lease_owner = ?,
                    lease_expires_at = now() + interval '1 hour', started_at = now(), cancel_requested = true
                where id = ?""", WORKER, queued.jobId());
        Api.sql(db, "insert into transcode_attempt (job_id, attempt, worker) values (?, 1, ?)", queued.jobId(), WORKER);
        Api.sql(db, "update episode_version set state = 'transcoding' where id = ?", queued.versionId());
        return new ClaimedJob(queued.jobId(), queued.versionId(), 1, 5, WORKER);
    }

    private void assertEndedCancelled(ClaimedJob job) {
        TranscodeFixtures fixtures = new TranscodeFixtures(db, storage);
        assertThat(fixtures.job(job.id())).containsEntry("state", "cancelled");
        assertThat(fixtures.row("select state from episode_version where id = ?", job.versionId()))
                .containsEntry("state", "cancelled");
        assertThat(fixtures.row("select outcome from transcode_attempt where job_id = ? and attempt = 1", job.id()))
                .containsEntry("outcome", "cancelled");
    }
}

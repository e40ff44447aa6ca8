package com.microdrama.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Media;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A worker told to stop (SIGTERM, scale-in) hands its job back at once: queued again, the attempt not counted. */
@QuarkusTest
class WorkerStopTest {

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @Inject
    TranscodeWorker workers;
    @Inject
    TranscodeConfig config;

    @Test
    void a_stopping_worker_hands_its_job_back_uncounted_and_leaves_no_ffmpeg_files_or_uploaded_segments() throws Exception {
        var fixtures = new TranscodeFixtures(db, storage);
        var queued = fixtures.queueWithoutApi(Media.clip(Media.tempDir(), "long.mp4", 540, 960, 30, false));
        UUID jobId = queued.jobId();
        ProcessHandle ffmpeg;
        try {
            ffmpeg = awaitFfmpegOf(jobId);
            assertThat(scratchDirsOf(jobId)).hasSize(1);
            // Segments go to storage while the encode runs: stop once some have.
            String prefix = "hls/" + queued.episodeId() + "/" + queued.versionId() + "/";
            Instant streamed = Instant.now().plusSeconds(60);
            while (storage.list(prefix).isEmpty() && Instant.now().isBefore(streamed)) {
                Thread.sleep(50);
            }
            assertThat(storage.list(prefix)).as("segments uploaded during the encode").isNotEmpty();

            workers.stop();

            Map<String, Object> job = fixtures.job(jobId);
            assertThat(job.get("state")).isEqualTo("queued");
            assertThat(job.get("attempts")).as("the attempt is not counted").isEqualTo(0);
            assertThat(job.get("lease_owner")).isNull();
            assertThat(fixtures.count("select count(*) from transcode_attempt where job_id = ?", jobId)).isZero();
            assertThat(ffmpeg.isAlive()).as("ffmpeg was killed").isFalse();
            assertThat(scratchDirsOf(jobId)).as("its scratch files are gone").isEmpty();
            assertThat(storage.list(prefix)).as("the segments it had uploaded are gone").isEmpty();
        } finally {
            workers.start(config.worker().concurrency());
        }
        Map<String, Object> done = fixtures.awaitJob(jobId, Duration.ofSeconds(120));
        assertThat(done.get("state")).isEqualTo("succeeded");
        assertThat(done.get("attempts")).isEqualTo(1);
    }

    private ProcessHandle awaitFfmpegOf(UUID jobId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Optional<ProcessHandle> found = ProcessHandle.current().descendants()
                    .filter(p -> p.info().commandLine().map(c -> c.contains("ffmpeg") && c.contains(jobId.toString()))
                            .orElse(false))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no ffmpeg ran for job " + jobId);
    }

    private java.util.List<Path> scratchDirsOf(UUID jobId) throws Exception {
        try (Stream<Path> dirs = Files.list(config.workDir())) {
            return dirs.filter(d -> d.getFileName().toString().startsWith(jobId.toString())).toList();
        }
    }
}

package com.microdrama.transcode;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.microdrama.core.storage.ObjectStorage;
import com.microdrama.support.Media;
import com.microdrama.support.Metrics;
import io.agroal.api.AgroalDataSource;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TranscodePipelineTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Inject
    AgroalDataSource db;
    @Inject
    ObjectStorage storage;
    @Inject
    TranscodeService service;
    @ConfigProperty(name = "transcode.work-dir")
    Path workDir;

    private TranscodeFixtures fixtures;
    private Path tmp;

    @BeforeEach
    void setUp() {
        fixtures = new TranscodeFixtures(db, storage);
        tmp = Media.tempDir();
    }

    @Test
    void a_queued_source_becomes_a_ready_episode_with_only_the_rungs_it_can_fill() throws Exception {
        Path source = Media.clip(tmp, "src.mp4", 540, 960, 3, true);
        var queued = fixtures.queue(source);

        Map<String, Object> job = fixtures.awaitJob(queued.jobId(), PATIENCE);
        assertThat(job.get("state")).as("job: %s", job).isEqualTo("succeeded");
        assertThat(((Number) job.get("progress")).intValue()).isEqualTo(100);
        assertThat(((Number) job.get("encode_speed")).doubleValue()).isPositive();

        Map<String, Object> version = fixtures.row("select * from episode_version where id = ?", queued.versionId());
        assertThat(version.get("state")).isEqualTo("ready");
        Map<String, Object> episode = fixtures.row("select * from episode where id = ?", queued.episodeId());
        assertThat(episode.get("current_version_id")).isEqualTo(queued.versionId());
        assertThat(episode.get("state")).isEqualTo("ready");
        assertThat(((Number) episode.get("duration_ms")).intValue()).isBetween(2900, 3200);

        String prefix = (String) version.get("hls_prefix");
        Path local = download(prefix);
        String master = Files.readString(local.resolve("master.m3u8"));
        assertThat(master).contains("540p/index.m3u8", "360p/index.m3u8").doesNotContain("720p", "1080p");
        assertThat(master).contains("RESOLUTION=540x960", "RESOLUTION=360x640", "AVERAGE-BANDWIDTH=",
                "FRAME-RATE=30.000", "CODECS=\"avc1.");
        assertThat(fixtures.count("select count(*) from rendition where version_id = ?", queued.versionId())).isEqualTo(2);
        assertThat(local.resolve("poster.jpg")).isNotEmptyFile();
        assertThat(local.resolve("thumbnail.jpg")).isNotEmptyFile();
        assertThat(local).isDirectoryNotContaining("glob:**/*.key");

        // Segments align across rungs: the same boundaries in every media playlist.
        List<String> durations540 = segmentDurations(local.resolve("540p/index.m3u8"));
        assertThat(durations540).isNotEmpty().isEqualTo(segmentDurations(local.resolve("360p/index.m3u8")));

        // Every rung decodes, with the key the backend holds (and only with it).
        byte[] key = (byte[]) version.get("encryption_key");
        for (String rung : List.of("540p", "360p")) {
            Path playlist = local.resolve(rung).resolve("index.m3u8");
            assertThat(Files.readString(playlist)).contains("METHOD=AES-128", "/api/v1/playback/keys/" + queued.versionId());
            assertThat(decodes(playlist, key)).as(rung + " with the key").isTrue();
            assertThat(decodes(playlist, new byte[16])).as(rung + " with a wrong key").isFalse();
        }
        assertThat(workDir.resolve(queued.jobId() + "-1")).doesNotExist();

        // Viewers see it, with a poster served straight from storage through a signed URL.
        given().get("/api/v1/episodes/" + queued.episodeId() + "/poster").then().statusCode(404);
        fixtures.publish(queued);
        given().get("/api/v1/series/" + queued.seriesId() + "/episodes").then().statusCode(200)
                .body("[0].posterUrl", equalTo("/api/v1/episodes/" + queued.episodeId() + "/poster"))
                .body("[0].durationSeconds", equalTo(3.0f));
        String signed = given().redirects().follow(false).get("/api/v1/episodes/" + queued.episodeId() + "/poster")
                .then().statusCode(302).extract().header("Location");
        assertThat(signed).contains("X-Amz-Signature=", "poster.jpg");
        byte[] jpeg = given().urlEncodingEnabled(false).get(signed).then().statusCode(200).extract().asByteArray();
        assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8);
        given().urlEncodingEnabled(false).get(signed.replace("X-Amz-Signature=", "X-Amz-Signature=0")).then().statusCode(403);
    }

    @Test
    void a_job_whose_worker_died_is_taken_over_and_finished_once() throws Exception {
        var queued = fixtures.queueAbandoned(Media.clip(tmp, "src.mp4", 360, 640, 2, false));

        Map<String, Object> job = fixtures.awaitJob(queued.jobId(), PATIENCE);
        assertThat(job.get("state")).as("job: %s", job).isEqualTo("succeeded");
        assertThat(job.get("attempts")).isEqualTo(2);
        assertThat(fixtures.row("select outcome from transcode_attempt where job_id = ? and attempt = 1", queued.jobId()))
                .containsEntry("outcome", "lease_lost");
        assertThat(fixtures.row("select outcome, worker from transcode_attempt where job_id = ? and attempt = 2", queued.jobId()))
                .containsEntry("outcome", "succeeded");
        assertThat(fixtures.count("select count(*) from rendition where version_id = ?", queued.versionId())).isEqualTo(1);
        String prefix = (String) fixtures.row("select hls_prefix from episode_version where id = ?", queued.versionId()).get("hls_prefix");
        assertThat(objectKeys(prefix)).filteredOn(k -> k.endsWith("master.m3u8")).hasSize(1);
    }

    @Test
    void two_workers_on_a_queue_of_several_jobs_run_each_job_once() throws Exception {
        Path source = Media.clip(tmp, "src.mp4", 360, 640, 2, true);
        List<TranscodeFixtures.Queued> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(fixtures.queue(source));
        }
        for (var queued : jobs) {
            Map<String, Object> job = fixtures.awaitJob(queued.jobId(), PATIENCE);
            assertThat(job.get("state")).isEqualTo("succeeded");
            assertThat(job.get("attempts")).as("attempts of %s", queued.jobId()).isEqualTo(1);
            assertThat(fixtures.count("select count(*) from transcode_attempt where job_id = ?", queued.jobId())).isEqualTo(1);
        }
        long workersUsed = fixtures.count("""
                select count(distinct worker) from transcode_attempt where job_id in (?, ?, ?, ?)
                """, jobs.get(0).jobId(), jobs.get(1).jobId(), jobs.get(2).jobId(), jobs.get(3).jobId());
        assertThat(workersUsed).as("both workers took jobs").isEqualTo(2);
    }

    @Test
    void undecodable_media_fails_at_once_with_its_reason() throws Exception {
        Path garbage = tmp.resolve("garbage.mp4");
        byte[] bytes = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(bytes);
        Files.write(garbage, bytes);
        var queued = fixtures.queue(garbage);

        Map<String, Object> job = fixtures.awaitJob(queued.jobId(), PATIENCE);
        assertThat(job.get("state")).isEqualTo("failed");
        assertThat(job.get("attempts")).as("no retries for bad media").isEqualTo(1);
        assertThat((String) job.get("error_message")).startsWith("the source cannot be transcoded: ");
        Map<String, Object> version = fixtures.row("select * from episode_version where id = ?", queued.versionId());
        assertThat(version.get("state")).isEqualTo("failed");
        assertThat(fixtures.row("select state from episode where id = ?", queued.episodeId())).containsEntry("state", "failed");
        assertThat(workDir.resolve(queued.jobId() + "-1")).doesNotExist();
    }

    @Test
    void cancelling_a_running_job_kills_ffmpeg_and_removes_its_files() throws Exception {
        var queued = fixtures.queue(Media.clip(tmp, "long.mp4", 720, 1280, 40, true));
        fixtures.awaitJob(queued.jobId(), PATIENCE, "running");
        Path jobDir = workDir.resolve(queued.jobId() + "-1");
        waitUntil(() -> ffmpegRunningIn(jobDir), "ffmpeg to start");
        waitUntil(() -> ((Number) fixtures.job(queued.jobId()).get("progress")).intValue() > 0,
                "progress parsed from ffmpeg to reach the job row");

        assertThat(service.cancel(queued.jobId()).await().indefinitely()).isEqualTo("running");

        Map<String, Object> job = fixtures.awaitJob(queued.jobId(), PATIENCE);
        assertThat(job.get("state")).isEqualTo("cancelled");
        assertThat(ffmpegRunningIn(jobDir)).isFalse();
        waitUntil(() -> !Files.exists(jobDir), "the job directory to be removed");
        assertThat(fixtures.row("select state from episode_version where id = ?", queued.versionId()))
                .containsEntry("state", "cancelled");
    }

    @Test
    void an_ffmpeg_killed_from_outside_fails_its_attempt_and_the_job_goes_on() throws Exception {
        double retriesBefore = Metrics.value("transcode_job_retries_total");
        var queued = fixtures.queue(Media.clip(tmp, "killed.mp4", 720, 1280, 20, true));
        fixtures.awaitJob(queued.jobId(), PATIENCE, "running");
        Path jobDir = workDir.resolve(queued.jobId() + "-1");

        // The ladder's ffmpeg alone, as the kernel's OOM killer would: the worker lives on. (Only the ladder's: the
        // quality report's own short ffmpeg runs after it, and killing one of those leaves the report out, not the
        // attempt.) Killed as soon as it shows, from a source whose four rungs take seconds: a 360x640 one's single
        // rung took 0.2 s, and CI once found it done by the time its first progress had reached the job row.
        waitUntil(() -> !ladderOf(jobDir).isEmpty(), "the ladder's ffmpeg to start");
        List<ProcessHandle> ladder = ladderOf(jobDir);
        assertThat(ladder).as("the ladder's ffmpeg, still encoding").isNotEmpty();
        ladder.forEach(ProcessHandle::destroyForcibly);

        Map<String, Object> job = fixtures.awaitJob(queued.jobId(), PATIENCE);
        assertThat(job.get("state")).isEqualTo("succeeded");
        assertThat(job.get("attempts")).isEqualTo(2);
        Map<String, Object> first = fixtures.row(
                "select outcome, error_message from transcode_attempt where job_id = ? and attempt = 1", queued.jobId());
        assertThat(first.get("outcome")).isEqualTo("retry");
        assertThat((String) first.get("error_message")).contains("killed by signal 9");
        assertThat(Metrics.value("transcode_job_retries_total") - retriesBefore).isEqualTo(1);
        assertThat(fixtures.row("select current_version_id from episode where id = ?", queued.episodeId()))
                .containsEntry("current_version_id", queued.versionId());
    }

    private Path download(String prefix) throws Exception {
        Path local = Files.createDirectories(tmp.resolve("out"));
        for (String key : objectKeys(prefix)) {
            Path target = local.resolve(key.substring(prefix.length()));
            Files.createDirectories(target.getParent());
            storage.download(key, target);
        }
        return local;
    }

    private List<String> objectKeys(String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : storage.client().listObjects(ListObjectsArgs.builder()
                .bucket(storage.bucket()).prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    private static List<String> segmentDurations(Path playlist) throws Exception {
        List<String> durations = new ArrayList<>();
        Matcher m = Pattern.compile("#EXTINF:([0-9.]+),").matcher(Files.readString(playlist));
        while (m.find()) {
            durations.add(m.group(1));
        }
        return durations;
    }

    /** Decodes a media playlist with ffmpeg, pointing its key URI at a local copy of the given key. */
    private boolean decodes(Path playlist, byte[] key) throws Exception {
        Path keyFile = playlist.resolveSibling("local.key");
        Files.write(keyFile, key);
        Path local = playlist.resolveSibling("local.m3u8");
        Files.writeString(local, Files.readString(playlist).replaceAll("URI=\"[^\"]+\"", "URI=\"local.key\""));
        return Media.run(List.of("ffmpeg", "-v", "error", "-xerror", "-allowed_extensions", "ALL",
                "-protocol_whitelist", "file,crypto", "-i", local.toString(), "-f", "null", "-")) == 0;
    }

    /** The ladder's ffmpeg of this attempt (the one that writes the variant streams). */
    private static List<ProcessHandle> ladderOf(Path jobDir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("ffmpeg") && c.contains(jobDir.toString())
                        && c.contains("-var_stream_map")).orElse(false))
                .toList();
    }

    private static boolean ffmpegRunningIn(Path jobDir) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    return cmd.contains("ffmpeg") && cmd.contains(jobDir.toString());
                } catch (Exception gone) {
                    return false;
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
